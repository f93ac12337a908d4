// Boots a fleet of simulated boards running one built board app: Espruino boards in this process
// (sim/espruino), NodeMCU boards in Lua host processes (sim/nodemcu) of at most LUA_BOARDS_PER_PROCESS
// boards each, per Lua version, so a large fleet spreads over the cores. Each board
// gets the app's config (board id, server URL, …) the way its runtime reads it: Storage file
// "<app>.json" on Espruino, require("config") on NodeMCU.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadBoards } from "../tools/boards.js";
import { boardDir, ensureBuilt } from "./artifacts.js";
import { bootEspruinoBoard } from "./espruino/board.js";
import { startNodeMcuHost } from "./nodemcu/launch.js";
import { APP_PROFILES } from "../tools/build/profiles.js";

const LUA_BOARDS_PER_PROCESS = 100;

/** Instance ids: the board name, with -2, -3… when the same board appears again. */
export function instanceIds(names) {
  const seen = new Map();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}-${n}`;
  });
}

/**
 * Boots one board per entry of `specs` ({ name, id, config, app?, profile? }): `config` is the board's app
 * config; `app` (default: the fleet's) and `profile` (default: the smallest that serves the app) pick the
 * built files. Returns { boards: [{ id, name, runtime, logs, crashes, faults }], stop() }.
 */
export async function bootFleet({ app, specs, seed = 1, onEvent = () => {} }) {
  const catalogue = loadBoards();
  await ensureBuilt(specs.map((s) => s.name));
  const boards = [];
  const espruinoBoots = [];
  const hosts = new Map();

  for (const [i, spec] of specs.entries()) {
    const board = catalogue[spec.name];
    const state = { id: spec.id, name: spec.name, runtime: board.runtime, logs: [], crashes: [], faults: [], reboots: [] };
    boards.push(state);
    const dir = boardDir(spec.name);
    const boardApp = spec.app ?? app;
    // the library of the given profile, else of the smallest that serves the app (tools/build/profiles.js)
    const profile = spec.profile ?? APP_PROFILES[boardApp] ?? board.profile;
    const libDir = join(dir, profile);
    if (board.runtime === "espruino") {
      const lib = readFileSync(join(libDir, "nats-mcu.js"), "latin1");
      // Uploaded as the espruino CLI uploads a module (Modules.addCached) when that fits the board's
      // JsVars, else saved to Storage and required from there, as on a deployed ESP8266 (espruino.md §5).
      const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
      const entry = manifest.files.find((f) => f.name === `${profile}/nats-mcu.js`);
      const inStorage = entry?.onBoard?.cached.fits === false;
      espruinoBoots.push(() =>
        bootEspruinoBoard({
          id: spec.id,
          boardName: spec.name,
          board,
          modules: inStorage ? {} : { "nats-mcu": lib },
          app: readFileSync(join(dir, `${boardApp}.js`), "latin1"),
          storage: { [`${boardApp}.json`]: JSON.stringify(spec.config), ...(inStorage ? { "nats-mcu": lib } : {}) },
          seed: seed + i,
          onLog: (line) => {
            state.logs.push(line);
            onEvent(state, "print", line);
          },
          onCrash: (message) => {
            state.crashes.push(message);
            onEvent(state, "crash", message);
          },
        }),
      );
    } else {
      const lua = `lua${board.lua}`;
      let group = hosts.get(lua)?.at(-1);
      if (group === undefined || group.length >= LUA_BOARDS_PER_PROCESS) {
        group = [];
        hosts.set(lua, [...(hosts.get(lua) ?? []), group]);
      }
      group.push({
        state,
        spec: {
          id: spec.id,
          chip: board.chip,
          heap_budget: board.memory.budget,
          recv_chunk_max: board.socket.recvChunkBytes,
          send_max: board.socket.sendChunkBytes,
          numbers: board.numbers,
          seed: seed + i,
          modules: { nats_mcu: join(libDir, "nats_mcu.lua") },
          app: join(dir, `${boardApp}.lua`),
          // A deployed ESP8266 keeps the library and the app in LFS (nodemcu.md §7–8).
          app_lfs: true,
          config: spec.config,
        },
      });
    }
  }

  // The Lua hosts boot their boards in their own processes while this one boots the Espruino boards.
  const groups = [...hosts].flatMap(([lua, lists]) => lists.map((list) => [lua, list]));
  const starting = Promise.all(groups.map(async ([lua, list]) => {
    // A heap walk (sim/nodemcu/heap.lua) costs about a millisecond per board: one process walks at most
    // ~200 boards a second, so a board's walks are spaced by 5 ms per board in its process (1 s for 200).
    for (const b of list) b.spec.heap_check_ms = Math.max(5, 5 * list.length);
    const byId = new Map(list.map((b) => [b.state.id, b.state]));
    const host = await startNodeMcuHost({ lua, boards: list.map((b) => b.spec) });
    host.on("*", (e) => {
      const state = byId.get(e.board);
      if (state === undefined) return;
      if (e.kind === "print") state.logs.push(e.detail);
      else if (e.kind === "fault") state.faults.push(e.detail);
      else if (e.kind === "panic" || e.kind === "crash") state.crashes.push(e.detail);
      else if (e.kind === "reboot") state.reboots.push(e.detail);
      onEvent(state, e.kind, e.detail);
    });
    return host;
  }));
  const espruino = [];
  for (const [i, boot] of espruinoBoots.entries()) {
    espruino.push(boot());
    // booted boards connect and the Lua hosts' output is read while the rest boot
    if (i % 25 === 24) await new Promise((resolve) => setImmediate(resolve));
  }
  const running = await starting;

  return {
    boards,
    async stop() {
      await Promise.all([...espruino.map((b) => b.stop()), ...running.map((h) => h.stop())]);
    },
  };
}
