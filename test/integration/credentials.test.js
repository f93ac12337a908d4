// Credentials never appear in what a board prints (status details, errors), in the emulators' event
// streams, or in the simulator's summary: boards of both runtimes connect with credentials in the URL,
// or fail with a wrong password, against an nats-server requiring them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { bootEspruinoBoard } from "../../sim/espruino/board.js";
import { startNodeMcuHost } from "../../sim/nodemcu/launch.js";
import { summaryTable } from "../../sim/simulate.js";
import { startServer } from "../support/nats-server.js";

const SECRET = "S3cr3t-Pw-xyz";

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("a password in the URL or the options never reaches a log, a status detail or an error", async () => {
  const server = await startServer({ config: `authorization { user: alice, password: "${SECRET}" }\n` });
  const right = `nats://alice:${SECRET}@127.0.0.1:${server.port}`;
  const wrong = `nats://alice:${SECRET}-wrong@127.0.0.1:${server.port}`;
  const lines = [];
  const espruinoApp = (url) => `
var nc = require("nats-mcu").connect({ servers: "${url}", pass: "${SECRET}", reconnectWait: 50, maxReconnectWait: 100 });
nc.onStatus(function (e, d) { console.log("status " + e + " " + d + " " + nc.lastError()); });`;
  const nodemcuApp = (url) => `
local nc = require("nats_mcu").connect({ servers = "${url}", pass = "${SECRET}", reconnectWait = 50, maxReconnectWait = 100 })
nc:onStatus(function(e, d) print("status " .. e .. " " .. tostring(d) .. " " .. nc:lastError()) end)`;
  const lib = readFileSync(join(ROOT, "build", "esp32-espruino", "nats-mcu.js"), "latin1");
  const boards = [right, wrong].map((url, i) => bootEspruinoBoard({
    id: `e${i}`, boardName: "esp32-espruino", board: loadBoards()["esp32-espruino"], seed: 1, modules: { "nats-mcu": lib },
    app: espruinoApp(url), onLog: (l) => lines.push(l), onCrash: (m) => lines.push(m),
  }));
  const host = await startNodeMcuHost({
    boards: [right, wrong].map((url, i) => ({ id: `n${i}`, board: "esp8266-nodemcu", ip_at_boot: true, app_source: nodemcuApp(url) })),
  });
  try {
    // what the boards printed, and every event of the NodeMCU emulator (net, heap, boot…)
    const all = () => [...lines, ...host.events.map((e) => (e.kind === "print" ? e.detail : `${e.kind} ${e.detail}`))];
    await until("connects and refusals", () =>
      all().filter((l) => l.startsWith("status connect")).length >= 2 &&
      all().filter((l) => /Authorization Violation/.test(l)).length >= 2, 10000);
    const leaks = all().filter((l) => l.includes(SECRET) || l.includes("alice:"));
    assert.deepEqual(leaks, [], "credentials printed");
    assert.ok(all().some((l) => l === `status connect nats://127.0.0.1:${server.port} `), all().join(" | "));
    const table = summaryTable([{ board: "e0", runtime: "espruino", published: 1, received: 1, refused: 0, errors: 0, free: 1, ping: "ok" }]);
    assert.ok(!table.includes(SECRET));
  } finally {
    await Promise.all(boards.map((b) => b.stop()));
    await host.stop();
    await server.stop();
  }
});
