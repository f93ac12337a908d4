// JsVar growth per message is 0 on every profile (espruino.md §3, "Measuring allocation-free"): on an
// emulated ESP32 Espruino board connected to nats-server, after a warm-up (600 publishes at once fill the
// out-queue; its slots are given back when it drains), 1,000 publishes (and, with
// subscriptions, their 1,000 deliveries back to the board) leave process.memory().usage where it was.
// The emulator counts the library's module-level state too (sim/espruino/board.js), so a table or
// string the core kept per message would show.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { PROFILE_NAMES } from "../../tools/build/profiles.js";
import { bootEspruinoBoard } from "../../sim/espruino/board.js";
import { startServer } from "../support/nats-server.js";

const BOARD = "esp32-espruino";
let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const app = (url) => `
var nc = require("nats-mcu").connect({ servers: "${url}", pingInterval: 0, name: "growth" });
var got = 0;
function burst(k, done) {
  var i = 0;
  var t = setInterval(function () {
    for (var j = 0; j < 25 && i < k; j++) { nc.publish("growth.x", "p" + (i % 10)); i++; }
    if (i >= k) { clearInterval(t); setTimeout(done, 400); }
  }, 5);
}
nc.onStatus(function (ev) {
  if (ev !== "connect") return;
  if (nc.subscribe) nc.subscribe("growth.>", function () { got++; });
  process.memory();
  var before = process.memory(false).usage;
  // warm-up: every path once, the out-queue filled and drained
  for (var i = 0; i < 600; i++) nc.publish("growth.x", "p" + (i % 10));
  burst(300, function () {
    process.memory();
    var u0 = process.memory(false).usage;
    burst(1000, function () { console.log("GROWTH " + (process.memory(false).usage - u0) + " " + got + " " + u0 + " " + before); });
  });
});
`;

for (const profile of PROFILE_NAMES) {
  test(`${profile}: JsVar growth per message is 0`, async () => {
    const lib = readFileSync(join(ROOT, "build", BOARD, profile, "nats-mcu.js"), "latin1");
    const crashes = [];
    const board = bootEspruinoBoard({
      id: `growth-${profile}`, boardName: BOARD, board: loadBoards()[BOARD], app: app(server.url), modules: { "nats-mcu": lib }, seed: 1,
      onCrash: (m) => crashes.push(m),
    });
    try {
      const line = await board.waitForLog(/^GROWTH /, 15000);
      const [, growth, got, connected, before] = line.split(" ").map(Number);
      console.log(`# ${profile}: ${connected} JsVars in use connected (library, this app, runtime); ${growth} more after 1,000 messages, ${got} delivered; ${before} before the warm-up's bursts`);
      assert.deepEqual(crashes, []);
      assert.equal(growth, 0, `usage grew by ${growth} JsVars over 1,000 messages`);
      // the out-queue gives its slots back when it drains: the 600-publish burst leaves no high-water of
      // empty slots (its ring held ~1,500 of them; 16 ops' worth may stay)
      assert.ok(connected - before <= 150, `${connected - before} JsVars more after the bursts than before them`);
      assert.ok(profile === "pub" ? got === 0 : got >= 1300, `${got} messages delivered back (echo)`);
    } finally {
      await board.stop();
    }
  });
}
