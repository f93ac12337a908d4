// The emulator's JsVar model of loading code (sim/espruino/memory.js moduleVars, tools/jsvars.js) against the
// genuine Espruino 2v29 figures of espruino.md §5 for our own library at 5861681, and its rules on small
// synthetic modules. The third-party anchors (MQTT.js, tinyMQTT.js, ws.js) are in sim/espruino/README.md; their
// code is not in this repository.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { LAYOUTS, moduleVars } from "../../sim/espruino/memory.js";
import { bootEspruinoBoard } from "../../sim/espruino/board.js";
import { jsVarsAfterLoad, jsVarsLoad } from "../../tools/jsvars.js";

const ESP32 = { layout: 14, budget: 16383 };
const ESP8266 = { layout: 12, budget: 1600 };
const TOLERANCE = 0.1;

// build/esp32-espruino/nats-mcu.js at 5861681; the fixture's first line only silences the repository lint
const fixture = readFileSync(join(ROOT, "test", "sim", "fixtures", "nats-mcu-5861681.min.js"), "latin1");
const OLD_LIBRARY = fixture.slice(fixture.indexOf("\n") + 1);

function assertNear(actual, genuine, what) {
  const error = Math.abs(actual - genuine) / genuine;
  assert.ok(error <= TOLERANCE, `${what}: model ${actual} vars, genuine ${genuine} (${(100 * error).toFixed(1)} % off, limit ${100 * TOLERANCE} %)`);
}
const outOfMemory = (result, { layout, budget }) => LAYOUTS[layout].baseline + result.peak > budget;

describe("nats-mcu at 5861681 (espruino.md §5)", () => {
  test("the fixture is the 33,020-byte build", () => {
    assert.equal(OLD_LIBRARY.length, 33020);
    assert.match(OLD_LIBRARY, /^const t="\\r\\n";function s\(t\)/);
  });

  test("ESP32 layout, Modules.addCached of the string: within 10 % of 3,458 vars, and it fits", () => {
    const result = moduleVars(OLD_LIBRARY, { method: "cached", layout: ESP32.layout, id: "nats-mcu" });
    assertNear(result.resident, 3458, "addCached on 16383 × 14 B");
    assert.ok(!outOfMemory(result, ESP32), `peak ${result.peak}`);
  });

  test("ESP8266 layout, Modules.addCached of the string: out of memory on 1,600 vars", () => {
    const result = moduleVars(OLD_LIBRARY, { method: "cached", layout: ESP8266.layout, id: "nats-mcu" });
    assert.ok(outOfMemory(result, ESP8266), `peak ${result.peak} + baseline fits in ${ESP8266.budget}`);
  });

  test("ESP8266 layout, from Storage: within 10 % of 1,354 vars, and it fits", () => {
    const result = moduleVars(OLD_LIBRARY, { method: "storage", layout: ESP8266.layout, id: "nats-mcu" });
    assertNear(result.resident, 1354, "Storage on 1600 × 12 B");
    assert.ok(!outOfMemory(result, ESP8266), `peak ${result.peak}`);
  });

  test("tools/jsvars.js gives the same figures", () => {
    assert.equal(jsVarsAfterLoad(OLD_LIBRARY, { bytesPerUnit: 14, method: "cached", id: "nats-mcu" }),
      moduleVars(OLD_LIBRARY, { method: "cached", layout: 14, id: "nats-mcu" }).resident);
    const storage = jsVarsLoad(OLD_LIBRARY, { bytesPerUnit: 12, method: "storage", id: "nats-mcu" });
    assertNear(storage.resident, 1354, "jsVarsLoad storage, 12 B");
    assert.equal(storage.baseline, 56);
  });
});

describe("the emulated boards load it as the genuine interpreter does", () => {
  const BOARDS = loadBoards();
  const booted = [];
  after(() => Promise.all(booted.map((board) => board.stop())));
  function boot(boardName, app, options) {
    const crashes = [];
    const board = bootEspruinoBoard({ id: `${boardName}#${booted.length}`, boardName, board: BOARDS[boardName], app, seed: 1, onCrash: (m) => crashes.push(m), ...options });
    booted.push(board);
    return { board, crashes };
  }
  const report = 'var m = process.memory(); console.log("USAGE " + m.usage + " " + m.free + " " + typeof lib.createParser);';

  test("esp8266-espruino: the module sent like the CLI does (addCached) runs out of memory at load", () => {
    const { board, crashes } = boot("esp8266-espruino", 'console.log("APP");', { modules: { "nats-mcu": OLD_LIBRARY } });
    assert.equal(board.crashed, crashes[0]);
    assert.match(crashes[0], /^OUT OF MEMORY: loading module "nats-mcu"/);
    assert.ok(!board.logs.includes("APP"));
  });

  test("esp8266-espruino: the same module from Storage loads and leaves what the model says", async () => {
    const { board } = boot("esp8266-espruino", `var lib = require("nats-mcu"); ${report}`, { storage: { "nats-mcu": OLD_LIBRARY } });
    const [, usage, free, type] = (await board.waitForLog(/^USAGE /)).split(" ");
    assert.equal(type, "function");
    const loaded = Number(usage) - LAYOUTS[12].baseline;
    assert.ok(loaded >= moduleVars(OLD_LIBRARY, { method: "storage", layout: 12, id: "nats-mcu" }).resident, `usage ${usage}`);
    assertNear(loaded, 1354, "usage on esp8266-espruino minus the baseline (the module and this one-line app)");
    assert.ok(Number(free) > 0);
  });

  test("esp32-espruino: addCached loads, usage within 10 % of baseline + 3,458", async () => {
    const { board } = boot("esp32-espruino", `var lib = require("nats-mcu"); ${report}`, { modules: { "nats-mcu": OLD_LIBRARY } });
    const [, usage, , type] = (await board.waitForLog(/^USAGE /)).split(" ");
    assert.equal(type, "function");
    assertNear(Number(usage) - LAYOUTS[14].baseline, 3458, "usage on esp32-espruino minus the baseline (the module and this one-line app)");
  });
});

// ---- the rules, on modules written for this test ---------------------------------------------------------------
/** A module of `count` exported functions whose bodies are `bodyChars` long, plus a table and a counter. */
function synthetic(count, bodyChars) {
  const body = `return"${"x".repeat(Math.max(0, bodyChars - 9))}"+a`;
  const lines = [`var T={alpha:1,beta:2,gamma:"three"},n=0;`];
  for (let i = 0; i < count; i++) lines.push(`function f${i}(a){${body}}exports.f${i}=f${i};`);
  return lines.join("");
}

describe("the model's rules", () => {
  const methods = ["inline", "cached", "storage"];

  test("a bigger module costs more, on both layouts and every method", () => {
    for (const layout of [14, 12]) {
      for (const method of methods) {
        const vars = (count, chars) => moduleVars(synthetic(count, chars), { method, layout }).resident;
        assert.ok(vars(20, 60) > vars(10, 60), `${layout} ${method}: more functions`);
        if (method !== "storage") assert.ok(vars(10, 200) > vars(10, 60), `${layout} ${method}: longer functions`);
        else assert.equal(vars(10, 200), vars(10, 60), "from Storage a body's length costs nothing");
      }
    }
  });

  test("from Storage costs less than cached, which costs more than inline; peaks in the order cached > inline > storage", () => {
    for (const source of [synthetic(12, 80), OLD_LIBRARY]) {
      for (const layout of [14, 12]) {
        const [inline, cached, storage] = methods.map((method) => moduleVars(source, { method, layout }));
        assert.ok(storage.resident < cached.resident / 1.5, `${layout}: storage ${storage.resident} vs cached ${cached.resident}`);
        assert.ok(cached.resident > inline.resident, `${layout}: module scope links`);
        assert.ok(cached.peak > inline.peak && inline.peak > storage.peak, `${layout}: peaks ${cached.peak} ${inline.peak} ${storage.peak}`);
      }
    }
  });

  test("the 12-byte layout costs more than the 14-byte one", () => {
    for (const method of methods) {
      const source = synthetic(10, 120);
      assert.ok(moduleVars(source, { method, layout: 12 }).resident >= moduleVars(source, { method, layout: 14 }).resident, method);
    }
  });

  test("exact structure of small cases (Espruino 2v29 jsparse.c)", () => {
    const inline = (source, layout = 14) => moduleVars(source, { method: "inline", layout }).resident;
    // name "f" + function + parameter "\xFFa" + "\xFFcod" + "a" (a body starting with return keeps only the expression)
    assert.equal(inline("function f(a){return a}"), 5);
    // an empty body keeps no code var
    assert.equal(inline("function f(){}"), 2);
    // a closure held by a name costs 3 besides the name (espruino.md §3)
    assert.equal(inline("var g=function(){return 1}") - inline("var g=0"), 3);
    // body text longer than 19 chars (14-byte layout) is a flat string: 1 + ceil(length / 14)
    const body = "x".repeat(100);
    assert.equal(inline(`function f(){${body}}`), 2 + 1 + 1 + Math.ceil(100 / 14));
    assert.equal(inline(`function f(){${body}}`, 12), 2 + 1 + 1 + Math.ceil(100 / 12));
    // the same function in a module scope links it: one more var ("\xFFsco")
    const asModule = moduleVars(`function f(){${body}}`, { method: "cached", layout: 14 }).resident;
    const emptyModule = moduleVars("", { method: "cached", layout: 14 }).resident;
    assert.equal(asModule - emptyModule, inline(`function f(){${body}}`) + 1);
    // from Storage the body is one flash string var
    assert.equal(moduleVars(`function f(){${body}}`, { method: "storage", layout: 14 }).resident - emptyModule, 2 + 1 + 1 + 1);
    // ints inside the reference range live in the name; 5000 does on 14 bytes, not on 12
    assert.equal(inline("var a={b:5000}", 14), 1 + 1 + 1);
    assert.equal(inline("var a={b:5000}", 12), 1 + 1 + 1 + 1);
    // prototype on first use: object, "prototype" (2 vars), "constructor" (2 vars)
    assert.equal(inline("function F(){}F.prototype.m=0") - inline("function F(){}"), 5 + 1);
  });

  test("peaks: a cached string holds the statement and the literal, inline code its text, a Storage file one var", () => {
    const source = synthetic(5, 60);
    const layout = LAYOUTS[12];
    const textVars = (n) => 1 + Math.ceil((n - layout.first) / layout.next);
    const inline = moduleVars(source, { method: "inline", layout: 12 });
    const cached = moduleVars(source, { method: "cached", layout: 12, id: "m" });
    const storage = moduleVars(source, { method: "storage", layout: 12 });
    assert.equal(inline.text, textVars(source.length));
    assert.equal(cached.text, textVars(`Modules.addCached("m",${JSON.stringify(source)});`.length) + textVars(source.length));
    assert.equal(storage.text, 1);
    for (const r of [inline, cached, storage]) assert.equal(r.peak, r.resident + r.text + 13);
  });
});
