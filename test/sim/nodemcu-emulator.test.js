// The NodeMCU emulator (sim/nodemcu) end to end: Lua apps on simulated boards talk to a real
// nats-server, under lua5.1 and lua5.3, and the emulator reports the device rules they break.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { checkLua, startNodeMcuHost, toLua, unescapeDetail } from "../../sim/nodemcu/launch.js";
import { ROOT } from "../../tools/boards.js";
import { startServer } from "../support/nats-server.js";

const WAIT_MS = 10_000;

const ONIP = readFileSync(join(ROOT, "sim", "nodemcu", "prelude-onip.lua"), "latin1");

// Connects to config.port, waits for INFO, then sends CONNECT + PING in ONE send and prints each
// PONG. config.twice: a second send right after the first (breaks the one-send rule).
// config.fail_on_info: the receive callback raises once INFO is in.
const PONG_APP = ONIP + `
local cfg = require("config")
local buf, state = "", "info"
local sck = net.createConnection()
sck:on("receive", function(s, data)
  buf = buf .. data
  while true do
    local line, rest = buf:match("^(.-)\\r\\n(.*)$")
    if not line then break end
    buf = rest
    if state == "info" and line:sub(1, 5) == "INFO " then
      if cfg.fail_on_info then error("cannot parse INFO") end
      state = "ready"
      s:send('CONNECT {"verbose":false,"pedantic":false}\\r\\nPING\\r\\n')
      if cfg.twice then s:send("PING\\r\\n") end
    elseif line == "PONG" then
      print("PONG")
    end
  end
end)
sck:on("disconnection", function(s, err) print("disconnection", err) end)
onip(function() sck:connect(cfg.port, "127.0.0.1") end)
if cfg.ticks then
  local n = 0
  tmr.create():alarm(100, tmr.ALARM_AUTO, function() n = n + 1; print("tick", n) end)
end
if cfg.onerror then node.setonerror(function(msg) print("onerror", msg) end) end
`;

const HOARD_APP = `
hoard = {}
tmr.create():alarm(20, tmr.ALARM_AUTO, function()
  for i = 1, 50 do hoard[#hoard + 1] = string.rep("z", 40) .. #hoard end
end)
`;

const LUAS = ["lua5.1", "lua5.3"];
const CHIP_FOR = { "lua5.1": "esp8266", "lua5.3": "esp32" };

let server;
let dir;
let pongApp;
let hoardApp;

before(async () => {
  for (const lua of LUAS) checkLua(lua); // fails with the apt-get command when missing
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), "nodemcu-emulator-test-"));
  pongApp = join(dir, "pong.lua");
  hoardApp = join(dir, "hoard.lua");
  writeFileSync(pongApp, PONG_APP);
  writeFileSync(hoardApp, HOARD_APP);
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function board(id, chip, config = {}, fields = {}) {
  return { id, chip, heap_budget: chip === "esp32" ? 120000 : 40000, recv_chunk_max: 1460, send_max: 1460, seed: 3,
    reboot_ms: 50, app: pongApp, config: { port: server.port, ...config }, ...fields };
}

/** Runs fn(host) with a started host and always stops it. */
async function withHost(options, fn) {
  const host = startNodeMcuHost(options);
  try {
    return await fn(host);
  } finally {
    await host.stop();
  }
}

for (const lua of LUAS) {
  const chip = CHIP_FOR[lua];

  describe(`NodeMCU emulator under ${lua}`, () => {
    test(`an ${chip} app gets INFO, sends CONNECT+PING in one send and prints PONG`, async () => {
      await withHost({ lua, boards: [board("b1", chip)] }, async (host) => {
        await host.waitFor({ board: "b1", kind: "print", detail: "PONG" }, WAIT_MS);
        assert.equal(host.events.filter((e) => e.kind === "fault" || e.kind === "crash" || e.kind === "panic").length, 0,
          host.events.map((e) => e.line).join("\n"));
      });
    });

    test("two sends back to back produce a fault line", async () => {
      await withHost({ lua, boards: [board("b1", chip, { twice: true })] }, async (host) => {
        const fault = await host.waitFor({ board: "b1", kind: "fault", detail: /^send-in-flight / }, WAIT_MS);
        assert.match(fault.detail, /bytes=6 pending=50/);
      });
    });

    test("two boards (esp8266 and esp32) in one host process both get PONG", async () => {
      await withHost({ lua, boards: [board("e8", "esp8266"), board("e32", "esp32")] }, async (host) => {
        await host.waitFor({ board: "e8", kind: "print", detail: "PONG" }, WAIT_MS);
        await host.waitFor({ board: "e32", kind: "print", detail: "PONG" }, WAIT_MS);
        const starts = host.events.filter((e) => e.kind === "start");
        assert.equal(starts.length, 1);
        assert.match(starts[0].detail, /boards=2/);
      });
    });

    test("esp8266: an error in the receive callback is a PANIC, then the board reboots", async () => {
      await withHost({ lua, boards: [board("b1", "esp8266", { fail_on_info: true })] }, async (host) => {
        const panic = await host.waitFor({ board: "b1", kind: "panic" }, WAIT_MS);
        assert.match(panic.detail, /^PANIC: unprotected error in call to Lua API \(.*cannot parse INFO\)$/);
        const reboot = await host.waitFor({ board: "b1", kind: "reboot" }, WAIT_MS);
        assert.match(reboot.detail, /^panic /);
        await host.waitFor({ board: "b1", kind: "boot", detail: /^2 reason=panic / }, WAIT_MS);
      });
    });

    test("esp32: an error in the receive callback is reported and the board keeps running", async () => {
      const cfg = { fail_on_info: true, ticks: true, onerror: true };
      await withHost({ lua, boards: [board("b1", "esp32", cfg)] }, async (host) => {
        const crash = await host.waitFor({ board: "b1", kind: "crash" }, WAIT_MS);
        assert.match(crash.detail, /cannot parse INFO/);
        await host.waitFor((e) => e.board === "b1" && e.kind === "print" && /^onerror\t.*cannot parse INFO/s.test(e.detail), WAIT_MS);
        // still running: timer ticks keep coming after the error, well past the 2 s restart delay
        // of the default hook (node.setonerror replaced it)
        const ticksAtCrash = host.events.filter((e) => e.board === "b1" && e.detail.startsWith("tick")).length;
        await host.waitFor({ board: "b1", kind: "print", detail: `tick\t${ticksAtCrash + 25}` }, WAIT_MS);
        assert.equal(host.events.filter((e) => ["panic", "reboot"].includes(e.kind)).length, 0);
      });
    });

    test("esp32 with the default error hook: reported, still running, restarted 2 s later", async () => {
      await withHost({ lua, boards: [board("b1", "esp32", { fail_on_info: true, ticks: true })] }, async (host) => {
        const crash = await host.waitFor({ board: "b1", kind: "crash" }, WAIT_MS);
        const ticksAtCrash = host.events.filter((e) => e.board === "b1" && e.detail.startsWith("tick")).length;
        await host.waitFor({ board: "b1", kind: "print", detail: `tick\t${ticksAtCrash + 5}` }, WAIT_MS);
        const reboot = await host.waitFor({ board: "b1", kind: "reboot" }, WAIT_MS);
        assert.match(reboot.detail, /^onerror /);
        // 2 s on the host; arrival times of the two lines here may differ from that by pipe delays
        assert.ok(reboot.atMs - crash.atMs >= 1500, `restart came ${reboot.atMs - crash.atMs} ms after the crash`);
      });
    });

    test("a board that allocates without bound reboots with reason heap", async () => {
      await withHost({ lua, boards: [board("b1", chip, {}, { app: hoardApp, heap_budget: 30000, max_reboots: 2 })] }, async (host) => {
        const reboot = await host.waitFor({ board: "b1", kind: "reboot" }, WAIT_MS);
        assert.match(reboot.detail, /^heap used=\d+ budget=30000 /);
        await host.waitFor({ board: "b1", kind: "boot", detail: /^2 reason=heap / }, WAIT_MS);
      });
    });
  });
}

describe("NodeMCU emulator launcher", () => {
  test("passes strings byte for byte into the board's config", async () => {
    const odd = "tab\tquote\" backslash\\ nl\n nul\0 high\u00e9 \u20ac";
    const app = join(dir, "echo-config.lua");
    writeFileSync(app, "print(require('config').s)\nprint(#require('config').s)\n");
    await withHost({ lua: "lua5.1", boards: [{ id: "b", chip: "esp8266", app, config: { s: odd } }] }, async (host) => {
      const line = await host.waitFor({ board: "b", kind: "print" }, WAIT_MS);
      assert.deepEqual(line.bytes, Buffer.from(odd, "utf8"));
      await host.waitFor({ board: "b", kind: "print", detail: String(Buffer.byteLength(odd)) }, WAIT_MS);
    });
  });

  test("serializes JS values to Lua literals and unescapes report details", () => {
    assert.equal(toLua("a\"b\\c\n\u00ff"), "\"a\\034b\\092c\\010\\195\\191\"");
    assert.equal(toLua([1, 2.5, true, null]), "{\n  1,\n  2.5,\n  true,\n  nil,\n}");
    assert.equal(toLua({ x: { y: 1 } }), "{\n  [\"x\"] = {\n    [\"y\"] = 1,\n  },\n}");
    assert.deepEqual(unescapeDetail("a\\tb\\\\c\\255\\n"), Buffer.from([0x61, 9, 0x62, 0x5c, 0x63, 255, 10]));
  });

  test("names the apt-get command when the interpreter is missing", () => {
    assert.throws(() => startNodeMcuHost({ lua: "lua5.0-not-installed", boards: [{ id: "b", chip: "esp8266" }] }),
      /apt-get install -y lua5\.0-not-installed lua-socket/);
  });

  test("a host with duration_ms exits by itself", async () => {
    const host = startNodeMcuHost({ lua: "lua5.3", durationMs: 300, boards: [{ id: "b", chip: "esp32", app_source: "print('up')" }] });
    try {
      const exit = await host.waitFor({ kind: "exit" }, WAIT_MS);
      assert.equal(exit.detail, "duration");
      assert.deepEqual(await host.exited, { code: 0, signal: null });
    } finally {
      await host.stop();
    }
  });
});
