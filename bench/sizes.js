// Sizes per board and profile, next to the anchors: minified JS and JsVars after load (from the build's
// manifests, whose JsVars come from the calibrated memory model), JsVars in use once connected (an
// emulated ESP32 Espruino board per profile, connected to the run's nats-server), Lua source and
// stripped bytecode. Anchors: Espruino's MQTT module and tinyMQTT (espruino.md §5).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, loadBoards } from "../tools/boards.js";
import { PROFILE_NAMES } from "../tools/build/profiles.js";
import { bootEspruinoBoard } from "../sim/espruino/board.js";

export const ANCHORS = [
  { name: "Espruino MQTT module", bytes: 6139, jsvars: 633 },
  { name: "tinyMQTT", bytes: 1783, jsvars: 208 },
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** JsVars in use on a fresh ESP32 Espruino board running app; throws when it printed none in time. */
async function usage(board, app, lib, tag) {
  const b = bootEspruinoBoard({ id: `bench-${tag}`, boardName: "esp32-espruino", board, app, seed: 1, modules: lib === undefined ? {} : { "nats-mcu": lib } });
  try {
    const deadline = Date.now() + 5000;
    for (;;) {
      const line = b.logs.find((l) => l.startsWith("USAGE "));
      if (line !== undefined) return Number(line.slice(6));
      if (b.crashed !== undefined) throw new Error(`esp32-espruino ${tag}: ${b.crashed}`);
      if (Date.now() > deadline) throw new Error(`esp32-espruino ${tag}: no USAGE line: ${b.logs.join(" | ")}`);
      await sleep(5);
    }
  } finally {
    await b.stop();
  }
}

/** JsVars of library + connection once connected, per profile (the board's own vars subtracted). */
async function connectedJsVars(serverUrl) {
  const board = loadBoards()["esp32-espruino"];
  const print = 'console.log("USAGE " + process.memory(false).usage);';
  const base = await usage(board, print, undefined, "base");
  const out = {};
  for (const profile of PROFILE_NAMES) {
    const lib = readFileSync(join(ROOT, "build", "esp32-espruino", profile, "nats-mcu.js"), "latin1");
    const app = `var nc = require("nats-mcu").connect({ servers: ${JSON.stringify(serverUrl)} });
nc.onStatus(function (e) { if (e === "connect") { ${print} } });`;
    out[profile] = (await usage(board, app, lib, profile)) - base;
  }
  return out;
}

export async function sizes({ serverUrl }) {
  const connected = await connectedJsVars(serverUrl);
  const rows = [];
  for (const [name, board] of Object.entries(loadBoards())) {
    const manifest = JSON.parse(readFileSync(join(ROOT, "build", name, "manifest.json"), "utf8"));
    for (const profile of PROFILE_NAMES) {
      const f = manifest.files.find((x) => x.profile === profile);
      if (f === undefined) throw new Error(`build/${name}/manifest.json has no ${profile} library: run npm run build`);
      rows.push(board.runtime === "espruino"
        ? { board: name, profile, bytes: f.bytes, jsvarsAfterLoad: f.jsvars, jsvarsConnected: name === "esp32-espruino" ? connected[profile] : null }
        : { board: name, profile, bytes: f.bytes, luac51: f.strippedBytecode["luac5.1"], luac53: f.strippedBytecode["luac5.3"] });
    }
  }
  return { rows, anchors: ANCHORS };
}
