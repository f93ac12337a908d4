// On NodeMCU an error raised by an application callback would reboot the board (nodemcu.md §4: net
// callbacks are unprotected on ESP8266, and the default error handler restarts after a protected one).
// The adapter catches it, reports it as an "error" status and carries on: from a received message and
// from the tick (a request timing out), under lua5.1 and lua5.3.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { ROOT } from "../../tools/boards.js";
import { ensureBuilt } from "../../sim/artifacts.js";
import { startNodeMcuHost } from "../../sim/nodemcu/launch.js";
import { startServer } from "../support/nats-server.js";
import { until } from "../support/probe-fleet.js";

let server;
before(async () => {
  await ensureBuilt(["esp8266-nodemcu", "esp32-nodemcu"]);
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const app = (url) => `
local nc = require("nats_mcu").connect({ servers = "${url}" })
nc:onStatus(function(ev, d) print("status " .. ev .. " " .. tostring(d)) end)
nc:subscribe("slow", function() end)
nc:subscribe("raise", function() error("boom in subscription") end)
nc:request("slow", "x", 200, function(err) print("request " .. tostring(err)); error("boom in timeout") end)
tmr.create():alarm(700, tmr.ALARM_SINGLE, function() nc:publish("raise", "1") end)
tmr.create():alarm(1500, tmr.ALARM_SINGLE, function() print("alive " .. nc:status()) end)
`;

for (const [lua, board, chip] of [["lua5.1", "esp8266-nodemcu", "esp8266"], ["lua5.3", "esp32-nodemcu", "esp32"]]) {
  test(`${lua} ${chip}: raising callbacks are reported and the board keeps running`, async () => {
    const host = await startNodeMcuHost({
      lua,
      boards: [{ id: "b", chip, heap_budget: 120000, app_source: app(server.url), ip_at_boot: true, modules: { nats_mcu: join(ROOT, "build", board, "full", "nats_mcu.lua") } }],
    });
    try {
      const prints = () => host.events.filter((e) => e.kind === "print").map((e) => e.detail);
      await until("the alive line", () => prints().some((l) => l.startsWith("alive")), 5000);
      const lines = prints();
      assert.ok(lines.includes("request timeout"), lines.join(" | "));
      assert.ok(lines.some((l) => l.startsWith("status error") && l.includes("boom in timeout")), lines.join(" | "));
      assert.ok(lines.some((l) => l.startsWith("status error") && l.includes("boom in subscription")), lines.join(" | "));
      assert.ok(lines.includes("alive connected"), lines.join(" | "));
      assert.deepEqual(host.events.filter((e) => ["reboot", "panic", "crash", "fault"].includes(e.kind)), []);
    } finally {
      await host.stop();
    }
  });
}
