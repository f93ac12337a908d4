// What each profile's library costs a board once loaded, measured on the emulators and checked against
// the budgets in boards.json: JsVars after require on Espruino (module uploaded as the espruino CLI
// uploads it, and from Storage), Lua heap after require on NodeMCU (from source, and from LFS).
// The figures are printed for the README's size table.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { PROFILE_NAMES } from "../../tools/build/profiles.js";
import { bootEspruinoBoard } from "../../sim/espruino/board.js";
import { startNodeMcuHost } from "../../sim/nodemcu/launch.js";

const BOARDS = loadBoards();
const booted = [];
after(() => Promise.all(booted.map((b) => b.stop())));

/** process.memory().usage printed by an app on a fresh board; "OOM" when the board ran out of memory. */
async function espruinoUsage(name, app, options) {
  const board = bootEspruinoBoard({ id: `${name}#${booted.length}`, boardName: name, board: BOARDS[name], app, seed: 1, wifi: "off", ...options });
  booted.push(board);
  const deadline = Date.now() + 3000;
  for (;;) {
    const line = board.logs.find((l) => l.startsWith("USAGE "));
    if (line !== undefined) return Number(line.slice(6));
    if (board.crashed !== undefined) return /OUT OF MEMORY/.test(board.crashed) ? "OOM" : board.crashed;
    if (Date.now() > deadline) throw new Error(`no USAGE line from ${name}: ${board.logs.join(" | ")}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const PRINT_USAGE = 'console.log("USAGE " + process.memory(false).usage);';
const REQUIRE = 'var nats = require("nats-mcu"); if (typeof nats.connect !== "function") throw new Error("no connect");';

for (const [name, board] of Object.entries(BOARDS)) {
  if (board.runtime !== "espruino") continue;
  const manifest = JSON.parse(readFileSync(join(ROOT, "build", name, "manifest.json"), "utf8"));
  for (const profile of PROFILE_NAMES) {
    test(`${name} ${profile}: JsVars after require, as the CLI uploads it and from Storage`, async () => {
      const lib = readFileSync(join(ROOT, "build", name, profile, "nats-mcu.js"), "latin1");
      const entry = manifest.files.find((f) => f.name === `${profile}/nats-mcu.js`);
      const base = await espruinoUsage(name, PRINT_USAGE, {});
      const cached = await espruinoUsage(name, REQUIRE + PRINT_USAGE, { modules: { "nats-mcu": lib } });
      const stored = await espruinoUsage(name, REQUIRE + PRINT_USAGE, { storage: { "nats-mcu": lib } });
      const show = (u) => (u === "OOM" ? "out of memory" : `${u - base} vars`);
      console.log(`# ${name} ${profile}: ${lib.length} B; after require: CLI upload ${show(cached)}, from Storage ${show(stored)}`);
      // the emulator and the build's figures come from one calibrated model (sim/espruino/memory.js)
      assert.equal(cached === "OOM", !entry.onBoard.cached.fits, "CLI upload fits as the build said");
      if (cached !== "OOM") assert.ok(Math.abs(cached - base - entry.onBoard.cached.vars) <= 10, `${cached - base} vs ${entry.onBoard.cached.vars}`);
      assert.notEqual(stored, "OOM", "every profile loads from Storage");
      assert.ok(Math.abs(stored - base - entry.onBoard.storage.vars) <= 10, `${stored - base} vs ${entry.onBoard.storage.vars}`);
      const budget = board.budgets?.[profile]?.jsvars;
      if (budget !== undefined) assert.ok(entry.jsvars <= budget, `${entry.jsvars} JsVars (ESP32 layout, CLI) over the budget ${budget}`);
    });
  }
}

const HEAP_APP = `
collectgarbage()
local before = node.heap()
local nats = require("nats_mcu")
assert(type(nats.connect) == "function", "no connect")
collectgarbage()
print("HEAP " .. (before - node.heap()))
`;

/** Heap bytes a board uses after require("nats_mcu"), with the library in LFS or compiled from source. */
async function luaHeapAfterLoad(name, profile, lfs) {
  const board = BOARDS[name];
  const host = await startNodeMcuHost({
    lua: `lua${board.lua}`,
    boards: [{ id: "b", board: name, lfs, app_source: HEAP_APP, modules: { nats_mcu: join(ROOT, "build", name, profile, "nats_mcu.lua") } }],
  });
  try {
    const deadline = Date.now() + 5000;
    for (;;) {
      const e = host.events.find((x) => x.kind === "print" && x.detail.startsWith("HEAP "));
      if (e !== undefined) return Number(e.detail.slice(5));
      const bad = host.events.find((x) => ["crash", "panic", "reboot"].includes(x.kind));
      if (bad !== undefined) throw new Error(`${name} ${profile}: ${bad.kind} ${bad.detail}`);
      if (Date.now() > deadline) throw new Error(`no HEAP line: ${JSON.stringify(host.events.slice(-5))}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await host.stop();
  }
}

for (const name of Object.keys(BOARDS).filter((n) => BOARDS[n].runtime === "nodemcu")) {
  for (const profile of PROFILE_NAMES) {
    test(`${name} ${profile}: Lua heap after require, from source and from LFS`, async () => {
      const source = await luaHeapAfterLoad(name, profile, false);
      const lfs = await luaHeapAfterLoad(name, profile, true);
      console.log(`# ${name} ${profile}: heap after require: from source ${source} B, from LFS ${lfs} B`);
      assert.ok(lfs < source, "LFS keeps the code out of the heap");
      const budget = BOARDS[name].budgets?.[profile] ?? {};
      if (budget.heap !== undefined) assert.ok(source <= budget.heap, `${source} B from source over the budget ${budget.heap}`);
      if (budget.heapLfs !== undefined) assert.ok(lfs <= budget.heapLfs, `${lfs} B from LFS over the budget ${budget.heapLfs}`);
    });
  }
}
