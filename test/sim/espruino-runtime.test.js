// The Espruino emulator's runtime without a network: what the vm context lacks like Espruino does, crashes,
// Espruino's timer rules, Storage, Wifi, object events, and the memory model (process.memory, OUT OF MEMORY).
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadBoards } from "../../tools/boards.js";
import { bootEspruinoBoard } from "../../sim/espruino/board.js";
import { moduleVars } from "../../sim/espruino/memory.js";

const BOARDS = loadBoards();
const booted = [];

after(() => Promise.all(booted.map((board) => board.stop())));

function boot(boardName, app, options = {}) {
  const crashes = [];
  const board = bootEspruinoBoard({
    id: `${boardName}#${booted.length}`, boardName, board: BOARDS[boardName], app, seed: 1, onCrash: (m) => crashes.push(m), ...options,
  });
  booted.push(board);
  return { board, crashes };
}

/** Polls until the board crashed; resolves with the onCrash messages. */
async function crashOf({ board, crashes }, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (board.crashed === undefined) {
    if (Date.now() > deadline) throw new Error(`no crash within ${timeoutMs} ms; output:\n${board.logs.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return crashes;
}

describe("built-ins Espruino lacks are missing", () => {
  const cases = [
    ["new Map()", /Uncaught ReferenceError: Map is not defined/],
    ["Symbol()", /Uncaught ReferenceError: Symbol is not defined/],
    ["Math.trunc(1.5)", /Uncaught TypeError: Math\.trunc is not a function/],
    ["Array.from([])", /Uncaught TypeError: Array\.from is not a function/],
    ["new Set([1])", /Set is not defined/],
    ["[1, 2].lastIndexOf(2)", /lastIndexOf is not a function/],
    ["Object.freeze({})", /Object\.freeze is not a function/],
    ["Promise.resolve(1).finally(function () {})", /finally is not a function/],
    ["\"ab\".codePointAt(0)", /codePointAt is not a function/],
    ["Number.isInteger(1)", /Number\.isInteger is not a function/],
    ["new TextEncoder()", /TextEncoder is not defined/],
    ["Uint8Array.from([1])", /Uint8Array\.from is not a function/],
  ];
  for (const [code, message] of cases) {
    test(`${code} crashes the board`, async () => {
      const run = boot("esp32-espruino", `console.log("before");\n${code};\nconsole.log("after");`);
      const crashes = await crashOf(run);
      assert.equal(crashes.length, 1);
      assert.match(crashes[0], message);
      assert.equal(run.board.crashed, crashes[0]);
      assert.ok(run.board.logs.includes("before") && !run.board.logs.includes("after"));
      assert.equal(run.board.logs.at(-1), crashes[0], "the board prints the crash like the genuine interpreter");
    });
  }

  test("node globals do not leak in and absent members read as undefined", async () => {
    const names = ["Buffer", "setImmediate", "queueMicrotask", "TextDecoder", "BigInt", "Reflect", "Proxy", "WeakMap", "structuredClone"];
    const { board } = boot("esp8266-espruino", `
console.log("GLOBALS " + [${names.map((n) => `typeof ${n}`).join(", ")}].join(","));
console.log("MEMBERS " + [typeof Math.imul, typeof Math.clz32, typeof Math.log2, typeof Number.EPSILON, typeof Promise.race,
  typeof "".trimStart, typeof [].flat, typeof [].at, typeof [].reduceRight, typeof process.exit, typeof require("net").connect].join(","));
console.log("PRESENT " + [[1, 2].includes(2), "ab".padStart(3, "x"), JSON.stringify(Object.entries({ a: 1 })), "x-y".replace(/-/g, "+"),
  new Uint8Array([1, 2, 3]).slice(1).constructor === Array, E.toString(72, [105]), typeof Promise.all].join(","));`);
    assert.equal(await board.waitForLog(/^GLOBALS /), `GLOBALS ${names.map(() => "undefined").join(",")}`);
    assert.equal(await board.waitForLog(/^MEMBERS /), `MEMBERS ${Array(10).fill("undefined").join(",")},function`);
    assert.equal(await board.waitForLog(/^PRESENT /), "PRESENT true,xab,[[\"a\",1]],x+y,true,Hi,function");
  });
});

describe("crashes", () => {
  test("a throw inside a setTimeout callback crashes the board and stops it", async () => {
    const run = boot("esp32-espruino", `
setInterval(function () { console.log("tick"); }, 5);
setTimeout(function () { throw new Error("boom"); }, 30);
require("net").connect({ host: "127.0.0.1", port: 9 });`);
    const crashes = await crashOf(run);
    assert.deepEqual(crashes, ["Uncaught Error: boom"]);
    assert.deepEqual(run.board.pending(), { timers: 0, sockets: 0 });
    assert.equal(run.board.running, false);
    const ticks = run.board.logs.filter((l) => l === "tick").length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(run.board.logs.filter((l) => l === "tick").length, ticks, "no callback runs after the crash");
  });

  test("an unknown module in require crashes the board", async () => {
    const crashes = await crashOf(boot("esp8266-espruino", "var x = require(\"no-such-module\");"));
    assert.deepEqual(crashes, ["Uncaught Error: Module \"no-such-module\" not found"]);
  });

  test("an unhandled promise rejection crashes the board", async () => {
    const crashes = await crashOf(boot("esp32-espruino", "Promise.resolve(1).then(function () { undefinedName(); });"));
    assert.match(crashes[0], /^Uncaught ReferenceError: undefinedName is not defined/);
  });

  test("syntax Espruino lacks and calls before a declaration fail at load", async () => {
    assert.match((await crashOf(boot("esp32-espruino", "var o = { a: 1 }; var b = o?.a;")))[0], /^Uncaught SyntaxError: optional chaining/);
    assert.match((await crashOf(boot("esp32-espruino", "go();\nfunction go() {}")))[0], /^Uncaught ReferenceError: `go` is used before its declaration/);
  });
});

describe("timers, events, Storage and Wifi", () => {
  test("timer ids follow Espruino: the next index after the highest in use, clearTimeout(undefined) throws", async () => {
    const run = boot("esp32-espruino", `
var a = setTimeout(function () {}, 5);
var b = setTimeout(function () {}, 200);
setTimeout(function () { console.log("IDS " + a + " " + b + " " + setTimeout(function () {}, 1)); clearTimeout(undefined); }, 20);`);
    const crashes = await crashOf(run);
    assert.ok(run.board.logs.includes("IDS 1 2 3"), run.board.logs.join("\n"));
    assert.deepEqual(crashes, ["Uncaught Error: clearTimeout(undefined) not allowed. Use clearTimeout() instead"]);
  });

  test("emit() queues the listeners instead of calling them at once", async () => {
    const { board } = boot("esp32-espruino", `
var o = {};
o.on("x", function (a, b) { console.log("EVENT " + a + b + (this === o)); });
o.emit("x", 1, 2);
console.log("EMITTED");`);
    await board.waitForLog(/^EVENT /);
    assert.deepEqual(board.logs, ["EMITTED", "EVENT 12true"]);
  });

  test("Storage: initial files, write/read round trip, compact writeJSON read back by readJSON", async () => {
    const { board } = boot("esp32-espruino", `
var S = require("Storage");
var cfg = S.readJSON("nats.json", true);
S.write("bytes.bin", "a\\x00\\xff");
S.writeJSON("saved.json", { port: cfg.port, name: "x-y", list: [1, 2] });
var back = S.read("bytes.bin");
console.log("STORAGE " + cfg.port + " " + back.length + " " + back.charCodeAt(1) + " " + back.charCodeAt(2) + " " +
  JSON.stringify(S.readJSON("saved.json")) + " " + S.read("missing") + " " + S.readJSON("bytes.bin", true) + " " + S.list().length);`,
    { storage: { "nats.json": JSON.stringify({ port: 4222 }) } });
    assert.equal(await board.waitForLog(/^STORAGE /), "STORAGE 4222 3 0 255 {\"port\":4222,\"name\":\"x-y\",\"list\":[1,2]} undefined undefined 3");
    assert.equal(board.storageFiles()["saved.json"], "{port:4222,name:\"x-y\",list:[1,2]}");
  });

  test("Wifi.connect calls back with no error, then the connected event fires and getIP has the address", async () => {
    const { board } = boot("esp8266-espruino", `
var wifi = require("Wifi");
console.log("BEFORE " + wifi.getIP().ip);
wifi.on("connected", function (details) { console.log("CONNECTED " + details.ip); });
wifi.connect("ssid", { password: "secret" }, function (err) {
  console.log("CALLBACK " + err + " " + wifi.getIP().ip);
});`, { wifi: "off" });
    await board.waitForLog(/^CONNECTED /);
    assert.deepEqual(board.logs, ["BEFORE undefined", "CALLBACK null 127.0.0.1", "CONNECTED 127.0.0.1"]);
  });
});

describe("memory", () => {
  for (const name of ["esp32-espruino", "esp8266-espruino"]) {
    test(`${name}: process.memory() reports numbers with total = the board's budget`, async () => {
      const { board } = boot(name, `
var m = process.memory();
var n = process.memory(false);
console.log("MEM " + JSON.stringify(m));
console.log("NOGC " + ("gc" in n) + " " + (n.usage + n.free === n.total));`);
      const mem = JSON.parse((await board.waitForLog(/^MEM /)).slice(4));
      const { budget, bytesPerUnit } = BOARDS[name].memory;
      assert.equal(mem.total, budget);
      assert.equal(mem.blocksize, bytesPerUnit);
      assert.equal(mem.usage + mem.free, budget);
      assert.ok(mem.usage > 50 && mem.usage < 200, `a tiny app uses ${mem.usage} vars`);
      for (const key of ["free", "usage", "total", "gc", "gctime", "blocksize"]) assert.equal(typeof mem[key], "number", key);
      assert.equal(await board.waitForLog(/^NOGC /), "NOGC false true");
    });
  }

  // 40 KB of source: about 5,000 vars of 12 bytes (8 chars each) on the ESP8266 layout, espruino.md §3
  const hugeModule = Array.from({ length: 400 }, (_, i) => `exports.f${i} = function () { return "${"x".repeat(80)}"; };`).join("\n");

  test("a 40 KB module runs the esp8266-espruino board out of memory at load", async () => {
    assert.ok(hugeModule.length > 40_000);
    const run = boot("esp8266-espruino", "console.log(\"APP\");", { modules: { huge: hugeModule } });
    const crashes = await crashOf(run);
    assert.match(crashes[0], /^OUT OF MEMORY: loading module "huge"/);
    assert.ok(!run.board.logs.includes("APP"));
  });

  test("the same module loads on esp32-espruino and what it keeps shows in usage", async () => {
    const { board } = boot("esp32-espruino", "var h = require(\"huge\"); console.log(\"LOADED \" + typeof h.f399 + \" \" + process.memory().usage);",
      { modules: { huge: hugeModule } });
    const [, type, usage] = (await board.waitForLog(/^LOADED /)).split(" ");
    assert.equal(type, "function");
    const kept = moduleVars(hugeModule, { method: "cached", layout: 14, id: "huge" }).resident;
    assert.ok(Number(usage) > kept, `usage ${usage} holds the module's ${kept} vars (espruino.md §5)`);
  });

  test("esp8266-espruino reproduces espruino.md §5: MQTT.js's 6,139 B do not load via addCached, ws.js's 3,871 B do", async () => {
    const moduleOf = (length) => `exports.s = "${"x".repeat(length - 15)}";`;
    assert.equal(moduleOf(6139).length, 6139);
    const mqtt = boot("esp8266-espruino", "", { modules: { MQTT: moduleOf(6139) } });
    assert.match((await crashOf(mqtt))[0], /^OUT OF MEMORY: loading module "MQTT"/);
    const { board } = boot("esp8266-espruino", "console.log(\"WS \" + require(\"ws\").s.length);", { modules: { ws: moduleOf(3871) } });
    assert.equal(await board.waitForLog(/^WS /), "WS 3856");
  });

  test("a socket write the board cannot hold is OUT OF MEMORY on esp8266-espruino", async () => {
    const crashes = await crashOf(boot("esp8266-espruino", `
var s = require("net").connect({ host: "127.0.0.1", port: 9 });
s.write("x".repeat(20000));`));
    assert.match(crashes[0], /^OUT OF MEMORY: socket\.write of 20000 bytes/);
  });
});
