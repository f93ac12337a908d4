// The NodeMCU emulator's board faults (host.lua stdin "wifi <id> down|up", "reset <id> down|up"), on both
// branches: the access point goes away (disconnect event with reason 200, the connection aborted with lwIP's
// ERR_ABRT, no route for a new connect) and comes back (got-IP again); the reset pin held (the board is off)
// and released (a fresh boot, node.bootreason() 3, 6: external reset, the RAM's state gone).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { checkLua, startNodeMcuHost } from "../../sim/nodemcu/launch.js";
import { ROOT } from "../../tools/boards.js";
import { startServer } from "../support/nats-server.js";

const WAIT_MS = 10_000;
const ONIP = readFileSync(join(ROOT, "sim", "nodemcu", "prelude-onip.lua"), "latin1");

// Prints the Wi-Fi events and the socket's, connects on every got-IP; a global survives only until a reset.
const APP = `${ONIP}
local cfg = require("config")
boots_seen = (boots_seen or 0) + 1
local raw, ext = node.bootreason()
print("boot", raw, ext, boots_seen)
if wifi.eventmon then
  wifi.eventmon.register(wifi.eventmon.STA_DISCONNECTED, function(t) print("wifi-down", t.reason) end)
else
  wifi.sta.on("disconnected", function(_, t) print("wifi-down", t.reason) end)
end
onip(function()
  print("got-ip")
  local sck = net.createConnection()
  sck:on("connection", function() print("connected") end)
  sck:on("reconnection", function(_, err) print("aborted", err) end)
  sck:on("disconnection", function(_, err) print("disconnected", err) end)
  sck:connect(cfg.port, "127.0.0.1")
end)
`;

let server;
let dir;
let app;

before(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), "nodemcu-board-faults-"));
  app = join(dir, "app.lua");
  writeFileSync(app, APP);
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const [lua, chip, abort] of [["lua5.1", "esp8266", -8], ["lua5.3", "esp32", -13]]) {
  describe(`NodeMCU board faults, ${chip} (${lua})`, () => {
    before(() => checkLua(lua));

    test("wifi down: disconnect event (beacon timeout), the connection aborted, no route; up: got-IP, connects again", async () => {
      const host = startNodeMcuHost({ lua, boards: [{ id: "b", chip, heap_budget: 120000, recv_chunk_max: 1460, send_max: 1460, seed: 1, app, config: { port: server.port } }] });
      try {
        const seen = (detail) => host.waitFor({ board: "b", kind: "print", detail }, WAIT_MS);
        await seen("connected");
        host.command("wifi b down");
        await seen(`aborted\t${abort}`);
        await seen("wifi-down\t200");
        const prints = () => host.events.filter((e) => e.board === "b" && e.kind === "print").map((e) => e.detail);
        assert.equal(prints().filter((p) => p === "got-ip").length, 1);
        host.command("wifi b up");
        await host.waitFor((e) => e.board === "b" && e.kind === "print" && e.detail === "got-ip" && prints().filter((p) => p === "got-ip").length === 2, WAIT_MS);
        await host.waitFor(() => prints().filter((p) => p === "connected").length === 2, WAIT_MS);
        assert.equal(host.events.filter((e) => e.kind === "crash" || e.kind === "panic" || e.kind === "fault").length, 0, host.events.map((e) => e.line).join("\n"));
      } finally {
        await host.stop();
      }
    });

    test("reset held: the board is off; released: it boots afresh with reason external, its globals gone", async () => {
      const host = startNodeMcuHost({ lua, boards: [{ id: "b", chip, heap_budget: 120000, recv_chunk_max: 1460, send_max: 1460, seed: 1, app, config: { port: server.port } }] });
      try {
        await host.waitFor({ board: "b", kind: "print", detail: "connected" }, WAIT_MS);
        host.command("reset b down");
        await host.waitFor({ board: "b", kind: "reboot", detail: "external reset pin" }, WAIT_MS);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(host.events.filter((e) => e.kind === "boot").length, 1, "held: no boot yet");
        host.command("reset b up");
        await host.waitFor({ board: "b", kind: "boot", detail: /^2 reason=external / }, WAIT_MS);
        // boots_seen is 1 again: the first boot's globals went with the RAM
        await host.waitFor({ board: "b", kind: "print", detail: "boot\t3\t6\t1" }, WAIT_MS);
        await host.waitFor(() => host.events.filter((e) => e.board === "b" && e.detail === "connected").length === 2, WAIT_MS);
      } finally {
        await host.stop();
      }
    });
  });
}
