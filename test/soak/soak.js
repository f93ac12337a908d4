// A soak: one simulated board of a runtime publishes `messages` messages to nats-server and receives each
// back (echo, profile pubsub), as fast as its out-queue allows. At quiescent points (every 10,000
// messages, when all sent have come back) the board reports its memory: JsVars in use (Espruino
// emulator) or free heap (NodeMCU emulator). Returns the samples, the throughput and whether memory
// stayed flat after warm-up.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { bootEspruinoBoard } from "../../sim/espruino/board.js";
import { startNodeMcuHost } from "../../sim/nodemcu/launch.js";
import { ensureBuilt } from "../../sim/artifacts.js";
import { startServer } from "../support/nats-server.js";

const EVERY = 10000;
const WINDOW = 200; // messages published but not yet back, at most

const espruinoApp = (url, n) => `
var nc = require("nats-mcu").connect({ servers: "${url}", pingInterval: 5000 });
var sent = 0, got = 0, mark = 0;
nc.subscribe("soak.x", function () { got++; });
setInterval(function () {
  if (got === sent && sent >= mark + ${EVERY}) {
    mark = sent;
    process.memory();
    console.log("SAMPLE " + sent + " " + process.memory(false).usage);
  }
  if (got >= ${n}) { console.log("DONE " + got); nc.close(); return; }
  while (sent < ${n} && sent - got < ${WINDOW} && (sent % ${EVERY} !== 0 || sent === mark) && nc.status() === "connected") {
    if (!nc.publish("soak.x", "0123456789abcdef")) break;
    sent++;
  }
}, 1);
`;

const nodemcuApp = (url, n) => `
local nc = require("nats_mcu").connect({ servers = "${url}", pingInterval = 5000 })
local sent, got, mark = 0, 0, 0
nc:subscribe("soak.x", function() got = got + 1 end)
local t = tmr.create()
t:alarm(1, tmr.ALARM_AUTO, function()
  if got == sent and sent >= mark + ${EVERY} then
    mark = sent
    collectgarbage()
    print("SAMPLE " .. sent .. " " .. node.heap())
  end
  if got >= ${n} then print("DONE " .. got); nc:close(); t:unregister(); return end
  while sent < ${n} and sent - got < ${WINDOW} and (sent % ${EVERY} ~= 0 or sent == mark) and nc:status() == "connected" do
    if not nc:publish("soak.x", "0123456789abcdef") then break end
    sent = sent + 1
  end
end)
`;

async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`soak: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** { runtime, board, messages, samples: [[sent, memory]], seconds, flat, spread, broken } */
export async function runSoak(runtime, messages) {
  const board = runtime === "espruino" ? "esp32-espruino" : "esp8266-nodemcu";
  await ensureBuilt([board]);
  const server = await startServer();
  const lines = [];
  const broken = [];
  let stop;
  const t0 = Date.now();
  try {
    if (runtime === "espruino") {
      const b = bootEspruinoBoard({
        id: "soak", boardName: board, board: loadBoards()[board], seed: 1,
        modules: { "nats-mcu": readFileSync(join(ROOT, "build", board, "pubsub", "nats-mcu.js"), "latin1") },
        app: espruinoApp(server.url, messages), onLog: (l) => lines.push(l), onCrash: (m) => broken.push(m),
      });
      stop = () => b.stop();
    } else {
      const host = await startNodeMcuHost({
        boards: [{ id: "soak", board, ip_at_boot: true, app_source: nodemcuApp(server.url, messages), modules: { nats_mcu: join(ROOT, "build", board, "pubsub", "nats_mcu.lua") } }],
      });
      host.on("*", (e) => {
        if (e.kind === "print") lines.push(e.detail);
        else if (["crash", "panic", "reboot", "fault"].includes(e.kind)) broken.push(`${e.kind} ${e.detail}`);
      });
      stop = () => host.stop();
    }
    await until(() => lines.some((l) => l.startsWith("DONE ")) || broken.length > 0, 30000 + messages / 5, `${messages} messages back`);
  } finally {
    await stop?.();
    await server.stop();
  }
  const seconds = (Date.now() - t0) / 1000;
  const samples = lines.filter((l) => l.startsWith("SAMPLE ")).map((l) => l.split(" ").slice(1).map(Number));
  // after warm-up: every sample past the first
  const after = samples.slice(1).map((s) => s[1]);
  const spread = after.length > 0 ? Math.max(...after) - Math.min(...after) : 0;
  return { runtime, board, messages, samples, seconds, spread, broken, done: lines.some((l) => l === `DONE ${messages}`) };
}
