// On NodeMCU an error raised by an application callback would reboot the board (nodemcu.md §4: net
// callbacks are unprotected on ESP8266, and the default error handler restarts after a protected one).
// On Espruino it would end the socket handler with the rest of the chunk unread. Both adapters catch it,
// report it as an "error" status and carry on: from a received message and from the tick (a request
// timing out), under lua5.1 and lua5.3 and on Espruino.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { ROOT } from "../../tools/boards.js";
import { ensureBuilt } from "../../sim/artifacts.js";
import { startNodeMcuHost } from "../../sim/nodemcu/launch.js";
import { bootEspruinoBoard } from "../../sim/espruino/board.js";
import { loadBoards } from "../../tools/boards.js";
import { readFileSync } from "node:fs";
import { startServer } from "../support/nats-server.js";
import { until } from "../support/probe-fleet.js";

let server;
before(async () => {
  await ensureBuilt(["esp8266-nodemcu", "esp32-nodemcu", "esp32-espruino"]);
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
nc:subscribe("after", function(s, p) print("after " .. p) end)
nc:request("slow", "x", 200, function(err) print("request " .. tostring(err)); error("boom in timeout") end)
tmr.create():alarm(700, tmr.ALARM_SINGLE, function() nc:publish("raise", "1"); nc:publish("after", "2") end)
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
      assert.ok(lines.includes("after 2"), `the message after the one whose callback raised is delivered: ${lines.join(" | ")}`);
      assert.ok(lines.includes("alive connected"), lines.join(" | "));
      assert.deepEqual(host.events.filter((e) => ["reboot", "panic", "crash", "fault"].includes(e.kind)), []);
    } finally {
      await host.stop();
    }
  });
}

test("espruino esp32: raising callbacks are reported and the board keeps running", async () => {
  const lines = [];
  const crashes = [];
  const board = bootEspruinoBoard({
    id: "e", boardName: "esp32-espruino", board: loadBoards()["esp32-espruino"], seed: 1,
    modules: { "nats-mcu": readFileSync(join(ROOT, "build", "esp32-espruino", "full", "nats-mcu.js"), "latin1") },
    onLog: (l) => lines.push(l), onCrash: (m) => crashes.push(m),
    app: `
var nc = require("nats-mcu").connect({ servers: "${server.url}" });
nc.onStatus(function (ev, d) { console.log("status " + ev + " " + d); });
nc.subscribe("slow", function () {});
nc.subscribe("raise", function () { throw new Error("boom in subscription"); });
nc.subscribe("after", function (s, p) { console.log("after " + p); });
nc.request("slow", "x", 200, function (err) { console.log("request " + err); throw new Error("boom in timeout"); });
setTimeout(function () { nc.publish("raise", "1"); nc.publish("after", "2"); }, 700);
setTimeout(function () { console.log("alive " + nc.status()); }, 1500);
`,
  });
  try {
    await until("the alive line", () => lines.some((l) => l.startsWith("alive")), 5000);
    assert.ok(lines.includes("request timeout"), lines.join(" | "));
    assert.ok(lines.some((l) => l.startsWith("status error") && l.includes("boom in timeout")), lines.join(" | "));
    assert.ok(lines.some((l) => l.startsWith("status error") && l.includes("boom in subscription")), lines.join(" | "));
    assert.ok(lines.includes("after 2"), `the message after the one whose callback raised is delivered: ${lines.join(" | ")}`);
    assert.ok(lines.includes("alive connected"), lines.join(" | "));
    assert.deepEqual(crashes, []);
  } finally {
    await board.stop();
  }
});
