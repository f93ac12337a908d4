// Blank simulated Espruino boards behind their telnet console (sim/espruino/console.js) flashed by the
// Espruino uploader (tools/flash/espruino.js, the espruino npm package): the built library and the
// metrics app go to Storage, load() runs the app, it reaches a real nats-server and its metrics reach a
// subscriber; the saved app survives a reboot; the errors name the port and what the board printed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startEspruinoConsoleBoard } from "../../sim/espruino/console.js";
import { startNodeMcuConsoleBoard } from "../../sim/nodemcu/console.js";
import { checkLua } from "../../sim/nodemcu/launch.js";
import { startPeer } from "../../sim/peer.js";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { flashEspruino } from "../../tools/flash/espruino.js";
import { startByteDroppingProxy } from "../support/byte-dropping-proxy.js";
import { startServer } from "../support/nats-server.js";
import { closedPort, silentPort } from "../support/dead-ports.js";

const BOARDS = loadBoards();
const NAMES = ["esp32-espruino", "esp8266-espruino"];
const libOf = (name) => join(ROOT, "build", name, "pubsub", "nats-mcu.js");
const appOf = (name) => join(ROOT, "build", name, "metrics.js");
const CONNECTED = /^status connect\b/;
const FAILED = /^status close\b|^Uncaught|^OUT OF MEMORY/;

let server;
let peer;
let scratch;
before(async () => {
  if (!NAMES.every((name) => existsSync(libOf(name)) && existsSync(appOf(name)))) {
    const r = spawnSync(process.execPath, [join(ROOT, "tools", "cli.js"), "build"], { cwd: ROOT, stdio: "inherit" });
    assert.equal(r.status, 0, "node tools/cli.js build failed");
  }
  server = await startServer();
  peer = await startPeer(server.url);
  scratch = mkdtempSync(join(tmpdir(), "espruino-console-test-"));
});
after(async () => {
  await peer?.close();
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

let serial = 0;
async function startBoard(name) {
  serial += 1;
  const board = await startEspruinoConsoleBoard({ id: `${name}-${serial}`, boardName: name, board: BOARDS[name] });
  return { ...board, url: `tcp://127.0.0.1:${board.port}` };
}

const config = (boardId, servers = server.url) => ({ name: "metrics.json", data: JSON.stringify({ boardId, servers, intervalMs: 100 }) });

function flashMetrics(board, name, boardId, extra = {}) {
  return flashEspruino({
    port: board.url, board: BOARDS[name], boardName: name, libraryPath: libOf(name), libraryMethod: "cached", appPath: appOf(name),
    files: [config(boardId)], connectedPattern: CONNECTED, failedPattern: FAILED, timeoutMs: 10000, ...extra,
  });
}

async function until(what, check, ms = 10000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} within ${ms} ms`);
}

/** Sends one line to a console as a person would type it, then hangs up. */
async function type(port, line) {
  const sock = net.connect(port, "127.0.0.1");
  await new Promise((resolve, reject) => sock.once("connect", resolve).once("error", reject));
  sock.on("error", () => {});
  sock.write(`${line}\n`);
  await new Promise((r) => setTimeout(r, 100));
  sock.destroy();
}

describe("flashEspruino onto blank simulated boards", () => {
  test("esp32-espruino, cached library: the app connects, metrics arrive, the saved app survives E.reboot()", async () => {
    const board = await startBoard("esp32-espruino");
    try {
      const progress = [];
      const seen = [];
      const r = await flashMetrics(board, "esp32-espruino", "e32a", { onProgress: (sent, total) => progress.push([sent, total]), onLine: (l) => seen.push(l) });
      assert.match(r.lines.at(-1), new RegExp(`^status connect ${server.url}`));
      assert.deepEqual(r.lines, seen);
      assert.equal(r.jsvarsTotal, 16383);
      assert.ok(r.jsvarsFree > 10000 && r.jsvarsFree < r.jsvarsTotal, `jsvarsFree ${r.jsvarsFree}`);
      const total = progress.at(-1)[1];
      assert.ok(total > readFileSync(libOf("esp32-espruino")).length, `total ${total}`);
      assert.deepEqual(progress.at(-1), [total, total]);
      assert.ok(progress.every(([s, t], i) => t === total && (i === 0 || s >= progress[i - 1][0])), "progress only grows");

      const files = board.storageFiles();
      assert.deepEqual(Object.keys(files).sort(), [".bootcde", "metrics.json"]);
      assert.ok(files[".bootcde"].startsWith('Modules.addCached("nats-mcu",function(){'), files[".bootcde"].slice(0, 60));
      assert.ok(files[".bootcde"].endsWith(readFileSync(appOf("esp32-espruino"), "latin1")));
      await until("e32a's metrics arrive", () => peer.received("e32a") >= 3);

      const reconnected = new Promise((resolve) => board.onLine((l) => CONNECTED.test(l) && resolve(l)));
      await type(board.port, "E.reboot()");
      await reconnected;
      const before = peer.received("e32a");
      await until("e32a publishes again after the reboot", () => peer.received("e32a") >= before + 3);
    } finally {
      await board.stop();
    }
  });

  test("esp8266-espruino, Storage library: the app connects and reports its JsVars", async () => {
    const board = await startBoard("esp8266-espruino");
    try {
      const r = await flashMetrics(board, "esp8266-espruino", "e8266", { libraryMethod: "storage" });
      assert.equal(r.jsvarsTotal, 1600);
      assert.ok(r.jsvarsFree > 0 && r.jsvarsFree < 1600, `jsvarsFree ${r.jsvarsFree}`);
      const files = board.storageFiles();
      assert.deepEqual(Object.keys(files).sort(), [".bootcde", "metrics.json", "nats-mcu"]);
      assert.equal(files["nats-mcu"], readFileSync(libOf("esp8266-espruino"), "latin1"));
      // the package puts a newline where a module it did not find would go: require finds it in Storage
      assert.equal(files[".bootcde"], `\n${readFileSync(appOf("esp8266-espruino"), "latin1")}`);
      await until("e8266's metrics arrive", () => peer.received("e8266") >= 3);
    } finally {
      await board.stop();
    }
  });

  test("a second flash replaces the first: new board id, new subjects, the old app stops, the old Storage library goes", async () => {
    const board = await startBoard("esp8266-espruino");
    try {
      await flashMetrics(board, "esp8266-espruino", "first", { libraryMethod: "storage" });
      await until("first's metrics arrive", () => peer.received("first") >= 2);
      const r = await flashMetrics(board, "esp8266-espruino", "second");
      assert.ok(r.jsvarsFree > 0);
      await until("second's metrics arrive", () => peer.received("second") >= 2);
      await peer.flush();
      const stopped = peer.received("first");
      await new Promise((r) => setTimeout(r, 400));
      await peer.flush();
      assert.equal(peer.received("first"), stopped, "the first app no longer publishes");
      assert.deepEqual(Object.keys(board.storageFiles()).sort(), [".bootcde", "metrics.json"]);
      assert.match(board.storageFiles()["metrics.json"], /"boardId":"second"/);
    } finally {
      await board.stop();
    }
  });

  test("a board whose app fails rejects with the line it printed", async () => {
    const board = await startBoard("esp32-espruino");
    const closed = net.createServer();
    await new Promise((r) => closed.listen(0, "127.0.0.1", r));
    const nowhere = `nats://127.0.0.1:${closed.address().port}`;
    await new Promise((r) => closed.close(r));
    try {
      // a blank board without the config file: the app reads undefined and throws while .bootcde loads
      await assert.rejects(flashMetrics(board, "esp32-espruino", "x", { files: [] }),
        (e) => e.message.startsWith(`${board.url}: the board reported an error after load(): Uncaught `));
      await assert.rejects(flashMetrics(board, "esp32-espruino", "nobroker", { files: [config("nobroker", nowhere)], failedPattern: /^status error\b/ }),
        (e) => e.message.startsWith(`${board.url}: the board reported an error after load(): status error connection_closed`));
    } finally {
      await board.stop();
    }
  });
});

describe("flashEspruino errors", () => {
  const fake = (extra = {}) => ({ board: BOARDS["esp32-espruino"], boardName: "esp32-espruino", libraryPath: libOf("esp32-espruino"), libraryMethod: "cached", appPath: appOf("esp32-espruino"), files: [], connectedPattern: CONNECTED, ...extra });

  test("a NodeMCU board on the port: wrong runtime", async () => {
    checkLua("lua5.1");
    const board = await startNodeMcuConsoleBoard({ id: "lua", boardName: "esp8266-nodemcu", board: BOARDS["esp8266-nodemcu"], dir: join(scratch, "lua") });
    const port = `tcp://127.0.0.1:${board.port}`;
    try {
      await assert.rejects(flashEspruino(fake({ port })), (e) => e.message.startsWith(`the board on ${port} runs NodeMCU, not Espruino`) && /stdin:1:/.test(e.message));
    } finally {
      await board.stop();
    }
  });

  test("a silent port, a closed port, a missing serial device", async () => {
    const silent = await silentPort();
    const quiet = silent.url;
    try {
      await assert.rejects(flashEspruino(fake({ port: quiet })), (e) => e.message.startsWith(`no answer from ${quiet}: nothing came back`));
    } finally {
      silent.close();
    }
    const gone = await closedPort();
    await assert.rejects(flashEspruino(fake({ port: gone })), { message: `cannot open ${gone}: connection refused (nothing listens there)` });
    await assert.rejects(flashEspruino(fake({ port: "/dev/ttyNATSMCU-NONE" })), { message: "cannot open /dev/ttyNATSMCU-NONE: no such device" });
  });

  test("an upload that loses a byte on the way fails verification, naming the file", async () => {
    const board = await startBoard("esp32-espruino");
    // drops one byte inside the first Storage write of metrics.json
    const proxy = await startByteDroppingProxy(board.port, 'write("metrics.json",atob("', 30);
    const app = join(scratch, "app.js");
    writeFileSync(app, 'print("app " + typeof require("nats-mcu").connect);\n');
    try {
      const port = `tcp://127.0.0.1:${proxy.port}`;
      await assert.rejects(flashEspruino(fake({ port, appPath: app, files: [config("v")] })),
        (e) => new RegExp(`^${port}: Storage file metrics\\.json did not verify after upload: the board has \\d+ bytes, CRC32 \\d+; ${config("v").data.length} bytes were sent`).test(e.message));
      assert.ok(proxy.dropped());
      assert.equal(board.storageFiles()[".bootcde"] !== undefined, true, "the upload went on; load() was not sent");
    } finally {
      proxy.close();
      await board.stop();
    }
  });
});
