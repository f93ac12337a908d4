// The Espruino emulator (sim/espruino/) against a real nats-server: connect and PING/PONG on every Espruino
// board, byte-exact re-chunked receive, data before the connect callback, write() stringifying its argument,
// and the built library loading as a module.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect } from "nats";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { bootEspruinoBoard } from "../../sim/espruino/board.js";
import { ensureBuilt } from "../../sim/artifacts.js";
import { moduleVars } from "../../sim/espruino/memory.js";
import { dataBeforeConnect } from "../../sim/espruino/rng.js";
import { freePort } from "../support/free-port.js";
import { startServer } from "../support/nats-server.js";

const BOARDS = loadBoards();
const ESPRUINO = Object.keys(BOARDS).filter((name) => BOARDS[name].runtime === "espruino");
const booted = [];
let server;

before(async () => {
  server = await startServer();
});
after(async () => {
  await Promise.all(booted.map((board) => board.stop()));
  await server?.stop();
});

function boot(boardName, app, options = {}) {
  const board = bootEspruinoBoard({ id: `${boardName}#${booted.length}`, boardName, board: BOARDS[boardName], app, seed: 1, ...options });
  booted.push(board);
  return board;
}

// A minimal NATS client in the Espruino dialect (declare before use: no hoisting). It logs the first socket
// event, every chunk size, PONGs, -ERR lines and each MSG payload as hex.
function natsApp(port, firstWrite) {
  return `
var sock;
var buf = "";
var need = -1;
var first = "";
var pongs = 0;
function hex(s) {
  var out = "";
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    out += (c < 16 ? "0" : "") + c.toString(16);
  }
  return out;
}
function seen(what) {
  if (first === "") {
    first = what;
    console.log("FIRST " + what);
  }
}
function parse() {
  for (;;) {
    if (need >= 0) {
      if (buf.length < need + 2) return;
      console.log("MSG " + need + " " + hex(buf.substr(0, need)));
      buf = buf.substr(need + 2);
      need = -1;
      continue;
    }
    var end = buf.indexOf("\\r\\n");
    if (end < 0) return;
    var line = buf.substr(0, end);
    buf = buf.substr(end + 2);
    if (line.indexOf("MSG ") === 0) {
      var parts = line.split(" ");
      need = parseInt(parts[parts.length - 1], 10);
    } else if (line === "PING") {
      sock.write("PONG\\r\\n");
    } else if (line === "PONG") {
      pongs++;
      console.log("PONG " + pongs);
    } else if (line.indexOf("-ERR") === 0) {
      console.log("ERR " + line);
    }
  }
}
sock = require("net").connect({ host: "127.0.0.1", port: ${port} }, function () {
  seen("connect");
  ${firstWrite}
});
sock.on("data", function (d) {
  seen("data");
  console.log("CHUNK " + d.length);
  buf += d;
  parse();
});
`;
}

async function until(predicate, what, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const CONNECT_PING = `sock.write("CONNECT {\\"verbose\\":false,\\"pedantic\\":false}\\r\\nPING\\r\\n");`;
const chunkSizes = (board) => board.logs.filter((l) => l.startsWith("CHUNK ")).map((l) => Number(l.slice(6)));

describe("Espruino emulator against nats-server", () => {
  for (const name of ESPRUINO) {
    test(`${name}: CONNECT + PING gets a PONG`, async () => {
      const board = boot(name, natsApp(server.port, CONNECT_PING));
      assert.equal(await board.waitForLog(/^PONG /), "PONG 1");
      assert.equal(board.crashed, undefined);
      assert.equal(board.stats().socketsOpened, 1);
    });

    test(`${name}: a 3000-byte payload of every byte value arrives exactly, in chunks of at most recvChunkBytes`, async () => {
      const limit = BOARDS[name].socket.recvChunkBytes;
      const subject = `emu.bytes.${name}`;
      const board = boot(name, natsApp(server.port,
        `sock.write("CONNECT {\\"verbose\\":false,\\"pedantic\\":false}\\r\\nSUB ${subject} 1\\r\\nPING\\r\\n");`));
      await board.waitForLog(/^PONG 1$/);
      const payload = new Uint8Array(3000).map((_, i) => (i * 37 + 11) % 256);
      assert.equal(new Set(payload).size, 256);
      const nc = await connect({ servers: server.url });
      try {
        nc.publish(subject, payload);
        await nc.flush();
      } finally {
        await nc.close();
      }
      const line = await board.waitForLog(/^MSG /);
      assert.equal(line, `MSG 3000 ${Buffer.from(payload).toString("hex")}`);

      // every received byte reaches the app once (a server PING may still be on its way in)
      const total = () => chunkSizes(board).reduce((a, b) => a + b, 0);
      await until(() => total() === board.stats().bytesIn, "all received bytes delivered");
      const sizes = chunkSizes(board);
      const stats = board.stats();
      assert.ok(sizes.every((n) => n > 0 && n <= limit), `chunks over ${limit}: ${sizes}`);
      assert.ok(stats.maxChunkIn <= limit);
      assert.ok(sizes.length > Math.ceil(stats.bytesIn / limit), `seeded splits, not only full chunks: ${sizes}`);
      assert.ok(sizes.slice(0, -1).some((n) => n < limit), `some inner chunk is shorter than ${limit}: ${sizes}`);
    });
  }

  test("data comes before the connect callback on a seeded third of connections, reproducibly", async () => {
    const seeds = Array.from({ length: 60 }, (_, i) => i + 1);
    const early = seeds.filter((seed) => dataBeforeConnect(seed, 0));
    assert.ok(early.length > 60 * 0.15 && early.length < 60 * 0.55, `${early.length} of 60 seeds`);
    const late = seeds.find((seed) => !early.includes(seed));
    for (const [seed, expected] of [[early[0], "data"], [late, "connect"], [early[0], "data"], [late, "connect"]]) {
      const board = boot("esp32-espruino", natsApp(server.port, CONNECT_PING), { seed });
      assert.equal(await board.waitForLog(/^FIRST /), `FIRST ${expected}`, `seed ${seed}`);
      await board.waitForLog(/^PONG 1$/);
      assert.equal(board.stats().connections[0].firstEvent, expected);
    }
  });

  test("write(Uint8Array) sends its toString(), so the server answers -ERR", async () => {
    const board = boot("esp8266-espruino", natsApp(server.port,
      `sock.write("CONNECT {\\"verbose\\":false,\\"pedantic\\":false}\\r\\n");
  sock.write(new Uint8Array([80, 73, 78, 71]));
  sock.write("\\r\\n");`));
    assert.equal(await board.waitForLog(/^ERR /), "ERR -ERR 'Unknown Protocol Operation'");
    assert.equal(board.crashed, undefined);
  });

  test("write(Uint8Array) puts \"80,73,78,71\" on the wire; drain is queued with connect, none after end()", async () => {
    const received = [];
    const listener = net.createServer((socket) => socket.on("data", (chunk) => received.push(chunk)));
    await new Promise((resolve) => listener.listen(0, "127.0.0.1", resolve));
    try {
      const board = boot("esp32-espruino", `
var s = require("net").connect({ host: "127.0.0.1", port: ${listener.address().port} }, function () {
  console.log("EV connect");
  s.write(new Uint8Array([80, 73, 78, 71]));
  s.end("|\\xff\\x00");
});
s.on("drain", function () { console.log("EV drain"); });
s.on("end", function () { console.log("EV end"); });
s.on("close", function (hadError) { console.log("EV close " + hadError); });`);
      await board.waitForLog("EV close");
      assert.deepEqual(board.logs, ["EV connect", "EV drain", "EV end", "EV close false"]);
      const bytes = () => Buffer.concat(received);
      await until(() => bytes().length >= 14, "14 bytes at the server");
      assert.deepEqual(bytes(), Buffer.from("80,73,78,71|\xff\x00", "latin1"));
    } finally {
      listener.close();
    }
  });

  for (const [name, expected] of [
    ["esp8266-espruino", ["EV error -9 connection reset", "EV end", "EV close true"]],
    ["esp32-espruino", ["EV connect", "EV drain", "EV end", "EV close false"]],
  ]) {
    test(`${name}: a refused connection closes the way its port of Espruino reports it`, async () => {
      const port = await freePort();
      const board = boot(name, `
var s = require("net").connect({ host: "127.0.0.1", port: ${port} }, function () { console.log("EV connect"); });
s.on("drain", function () { console.log("EV drain"); });
s.on("error", function (e) { console.log("EV error " + e.code + " " + e.message); });
s.on("end", function () { console.log("EV end"); });
s.on("close", function (hadError) { console.log("EV close " + hadError); });`);
      await board.waitForLog("EV close");
      assert.deepEqual(board.logs, expected);
    });
  }
});

describe("the built library on the emulator", () => {
  let library;
  before(async () => {
    // built only when missing or stale: rebuilding under the other test files, which read build/, races them
    await ensureBuilt(["esp32-espruino"]);
    library = readFileSync(join(ROOT, "build", "esp32-espruino", "nats-mcu.js"), "latin1");
  });

  test("esp32-espruino: require(\"nats-mcu\") returns the exports with connect", async () => {
    const board = boot("esp32-espruino", `
var lib = require("nats-mcu");
console.log("LIB " + typeof lib.connect);`, { modules: { "nats-mcu": library } });
    assert.equal(await board.waitForLog(/^LIB /), "LIB function");
    const { usage } = board.stats().memory;
    const kept = moduleVars(library, { method: "cached", layout: 14, id: "nats-mcu" }).resident;
    assert.ok(usage > kept, `usage ${usage} holds the module's ${kept} vars (espruino.md §5)`);
  });
});
