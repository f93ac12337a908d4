// flattenLua on small TSTL-shaped bundles: the require shim and module tables go, modules run in the
// loader's order, and the result prints the same as the bundle on lua5.1 and lua5.3; modules whose
// table is used as a value keep it, and a limit check turns the least used fields back into fields
// of one table.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { fitsNodeMcu, luaSizes } from "../../tools/build/build-lua.js";
import { flattenLua, simplifyLua } from "../../tools/build/flatten-lua.js";
import { TSTL_SHIM as SHIM } from "../support/tstl-shim.js";


function bundle(modules, entry) {
  const bodies = Object.entries(modules).map(([name, body]) => `["${name}"] = function(...) \n${body}\n end,`);
  return `${SHIM}____modules = {\n${bodies.join("\n")}\n}\nlocal ____entry = require("${entry}", ...)\nreturn ____entry\n`;
}

/** What a chunk prints when run, then what its returned table holds (sorted keys). */
function run(lua, source) {
  const program = `local lib = (function(...)\n${source}\nend)("arg")\nlocal keys = {}\nfor k in pairs(lib) do keys[#keys + 1] = k end\ntable.sort(keys)\nprint("exports", table.concat(keys, ","))`;
  const r = spawnSync(lua, ["-"], { input: program, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const MODULES = {
  "src.events": "local ____exports = {}\nreturn ____exports",
  "src.clock": `local ____exports = {}
local count = 0
local STEP = 1
function ____exports.tick()
    count = count + STEP
    return count
end
function ____exports.unused()
    return 0
end
print("clock loaded")
return ____exports`,
  "src.util": `local ____exports = {}
local ____clock = require("src.clock")
local tick = ____clock.tick
function ____exports.twice(x)
    return ____exports.once(x) + ____exports.once(x)
end
function ____exports.once(x)
    tick()
    return x
end
____exports.LIMIT = 7
do
    local ____clock = require("src.clock")
    ____exports.tick = ____clock.tick
end
print("util loaded")
return ____exports`,
  "src.status": `local ____exports = {}
local last = "none"
function ____exports.status(self)
    return last
end
function ____exports.set(v)
    last = v
end
return ____exports`,
  "src.bag": `local ____exports = {}
____exports.a = 1
____exports.b = 2
return ____exports`,
  "src.index": `local ____exports = {}
require("src.events")
local util = require("src.util")
local ____status = require("src.status")
local set = ____status.set
local status = require("src.status")
local bag = require("src.bag")
local n = 0
for k, v in pairs(bag) do n = n + v end
set("ready")
print(util.twice(util.LIMIT), util.tick(), status:status(), status.status(), n)
function ____exports.connect()
    return status:status()
end
____exports.status = status.status
return ____exports`,
};

describe("flattenLua", () => {
  const source = bundle(MODULES, "src.index");
  const flat = flattenLua(source);

  test("drops the shim and the module tables it can, keeps what is used as a table", () => {
    assert.doesNotMatch(flat, /____modules|____moduleCache|require/);
    assert.doesNotMatch(flat, /util\.|____status\.|unused/, "fields became locals, the unused one is gone");
    assert.match(flat, /pairs\(__F\d+_src_bag\)/, "a module iterated keeps its table");
    assert.match(flat, /__F\d+_status\(nil\)/, "status:status() passes nil as self");
    assert.match(flat, /count = count \+ 1\n/, "a local only ever holding a numeral is that numeral");
    assert.match(flat, /local count = 0\n/, "a local assigned again stays");
  });

  for (const lua of ["lua5.1", "lua5.3"]) {
    test(`runs as the bundle does on ${lua}`, () => {
      assert.equal(run(lua, flat), run(lua, source));
      assert.match(run(lua, flat), /clock loaded\nutil loaded\n14\t3\tready\tready\t3\nexports\tconnect,status/);
    });
  }

  test("fields go back to a table (one for all modules, short keys) while the limit check says so", () => {
    // a stand-in check: fits once at least two fields are read through the table
    const coldReads = (lua) => (lua.match(/__F\d+_fields\.[a-z]\b/g) ?? []).length;
    const limited = flattenLua(source, (lua) => (coldReads(lua) >= 2 ? true : 1));
    assert.ok(coldReads(limited) >= 2);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, limited), run(lua, source));
  });

  test("a function reading self keeps its module's table when called with `:`", () => {
    const modules = { ...MODULES, "src.status": MODULES["src.status"].replace("return last", "return self and last") };
    const src = bundle(modules, "src.index");
    const out = flattenLua(src);
    assert.match(out, /__F\d+_src_status = ____exports/);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, src));
  });

  test("leaves other shapes alone", () => {
    const lazy = bundle({ ...MODULES, "src.bag": "local ____exports = {}\nfunction ____exports.f() return require(\"src.clock\") end\nreturn ____exports" }, "src.index");
    assert.equal(flattenLua(lazy), lazy);
    assert.equal(flattenLua("return 1\n"), "return 1\n");
  });
});

describe("simplifyLua", () => {
  const chunk = `local chunkSize, other
local t = {}
function chunkSize()
    return 1460
end
local function minus()
    return -1
end
local function name()
    return "ab"
end
function other(s)
    return #s + 0, 0 + #s * 2, (#s - 1 + 0) * 2, s .. name():upper()
end
local function kept()
    return 3
end
t.f = kept
local fields = {}
function fields.size()
    return 7
end
fields.n = 2
fields.lang = "lua"
function fields.hello()
    return "hi " .. fields.lang
end
chunkSize()
print(chunkSize(), minus(), 2 - minus(), other("xyz"), t.f(), fields.size() + fields.n, fields.hello())
return t`;

  test("literal-returning functions called without arguments become the literal; zero terms go", () => {
    const out = simplifyLua(chunk);
    assert.doesNotMatch(out, /chunkSize|minus|name\(\)/);
    assert.match(out, /local other\n/);
    assert.match(out, /print\(1460, \(-1\), 2 - \(-1\), other/);
    assert.match(out, /return #s, #s \* 2, \(#s - 1\) \* 2, s \.\. \("ab"\):upper\(\)/);
    assert.match(out, /local function kept\(\)/);
    // a field of a table only ever indexed by name
    assert.doesNotMatch(out, /fields\.size/);
    // a field set once to a literal where the chunk runs straight, read in functions; then "hi " .. "lua" is
    // one literal, and hello() returns a literal
    assert.match(out, /7 \+ fields\.n, "hi lua"\)/);
    assert.doesNotMatch(out, /fields\.lang =/);
    // read where the chunk runs: kept
    assert.match(out, /fields\.n = 2/);
  });

  test("the simplified chunk prints the same on lua5.1 and lua5.3", () => {
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, simplifyLua(chunk)), run(lua, chunk));
  });

  const constants = `local function f(n)
    local limit = 4096
    local low = -1
    local server = 0
    local s = 5
    s = s + 1
    return server > 0 and server < limit and server or limit, not (low < 0) and 1 or nil, n - low, s
end
print(f(3))
return {}`;

  test("locals holding a numeral become the numeral; comparisons of numerals and the and/or they decide fold", () => {
    const out = simplifyLua(constants);
    assert.match(out, /return \(4096\), nil, n - \(-1\), s/);
    assert.match(out, /local s = 5/);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, constants));
  });

  const strings = `local function f(x)
    return "a\\r\\n" .. "\\"b\\\\" .. "\\0009" .. x .. "c" .. ("d") .. "e" .. 'f\\t' .. "\\1" .. 2
end
print(f("-"))
return {}`;

  test("adjacent string literals of a concatenation become one literal, bytes and escapes kept", () => {
    const out = simplifyLua(strings);
    assert.match(out, /return "a\\r\\n\\"b\\\\\\0009" \.\. x \.\. "c" \.\. \("d"\) \.\. "ef\\t\\001" \.\. 2/);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, strings));
  });

  const temps = `local function flag(v, d)
    local ____temp_0
    if type(v) == "boolean" then
        ____temp_0 = v
    else
        ____temp_0 = d
    end
    return ____temp_0
end
local function pick(u, a, b)
    local ____temp_1
    if u ~= nil then
        ____temp_1 = a
    else
        ____temp_1 = b
    end
    local p = ____temp_1
    return p, p
end
print(flag(false, true), flag(nil, true), pick(1, false, 2), pick(nil, false, 2))
return {}`;

  test("a conditional's temporary read once, by return or a local, goes", () => {
    const out = simplifyLua(temps);
    assert.doesNotMatch(out, /____temp/);
    assert.match(out, /if type\(v\) == "boolean" then\nreturn v\nelse\nreturn d\nend/);
    assert.match(out, /local p\nif u ~= nil then\np = a\nelse\np = b\nend/);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, temps));
  });

  test("trailing nil arguments of a call to a local Lua function without ... go", () => {
    const source = "local function go(a, b) print(a, b) end\nlocal g\nfunction g(...) print(select('#', ...)) end\ngo(8, nil)\ngo(nil)\ng(1, nil)\nprint(nil)\nreturn {}";
    const out = simplifyLua(source);
    assert.match(out, /go\(8\)\ngo\(\)\ng\(1, nil\)\nprint\(nil\)/);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, source));
  });

  const once = `local report, shadowed, early
local n = 0
local function add(k, unused)
    local m = k * 2
    n = n + m
    return
end
function report(label, x)
    print(label, n, x)
end
g = "global"
function shadowed()
    print(g)
end
function early(k)
    if k > 1 then
        return
    end
    print("early", k)
end
local function twice(v)
    local w = v * 2
    return w + 1
end
local function pick(v)
    return v + 100, v
end
local function run()
    local t = twice(n + 2)
    print("twice", t)
    if t > 100 then
        return pick(t)
    end
    add(n + 1, 5)
    report("after", 3)
    local g = tostring(7)
    shadowed()
    early(1)
    return g
end
print(run())
return {}`;

  test("a function called once as a statement becomes a block at the call, where its names mean the same", () => {
    const out = simplifyLua(once);
    assert.match(out, /do\nlocal k = n \+ 1\nlocal m = k \* 2\n {4}n = n \+ m\nend/);
    assert.doesNotMatch(out, /function add|function report/);
    // the call's scope has a local g: the global g is not seen there
    assert.match(out, /function shadowed\(\)/);
    // a return before the end: a break out of `repeat … until true`
    assert.doesNotMatch(out, /function early/);
    assert.match(out, /repeat\nif false then\n {8}break\n {4}end\n {4}print\("early", 1\)\nuntil true/);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, once));
  });

  test("a function called once for its value: `local x = f()`, `return f()`", () => {
    const out = simplifyLua(once);
    assert.match(out, /local t\ndo\nlocal v = n \+ 2\nlocal w = v \* 2\nt = w \+ 1\nend/);
    // a literal or a local nothing else can change is the argument itself
    assert.match(out, /do\nreturn t \+ 100, t\nend/);
    assert.match(out, /print\("after", n, 3\)/);
  });

  const returns = `local n = 3
local function sign(v)
    if v < 0 then
        return -1
    end
    local s = 1
    if v == 0 then
        s = 0
    end
    return s
end
local function find(k)
    for i = 1, 5 do
        if i == k then
            return i
        end
    end
    return 0
end
local function clamp(v)
    if v > 10 then
        return 10
    elseif v < 0 then
        return
    end
    print("in range", v)
end
local function check(v)
    if v == nil then
        return
    end
    print("checked", v)
end
local function run(m)
    local s = sign(m - n)
    local f = find(m)
    check(m)
    print(s, f)
    return clamp(m * 2)
end
print(run(1))
print(run(4))
return {}`;

  test("returns before the end: a break out of a block for a value or a statement, as they are for `return f()`", () => {
    const out = simplifyLua(returns);
    // sign's own local s is renamed: the result goes to the caller's s
    assert.doesNotMatch(out, /function sign|function check|function clamp/);
    assert.match(out, /local s\nrepeat\n[^]*s = -1\nbreak[^]*local s_0 = 1[^]*s = s_0\nuntil true/);
    assert.match(out, /if m == nil then\n {8}break/);
    assert.match(out, /return 10\n {4}elseif/);
    // a return inside a loop of the body: left as a function
    assert.match(out, /local function find\(k\)/);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, returns));
  });

  // a flattened chunk's shape: module blocks, a module's block made a function, the fields table
  const modules = `local emit
local fields = {}
do
local count = 0
local last, other = "none", 1
local function bump(k)
    count = count + k
end
function fields.reset(v)
    bump(1)
    last = v
end
function emit(x)
    print("emit", x, count, last, other)
end
function fields.show()
    print("show", count, last)
end
end
do (function()
local seen = 0
fields.mark = function()
    seen = seen + 1
    return seen
end
end)() end
local g
local function make(k)
    local n = k
    function g()
        print("g", n)
    end
end
make(1)
make(2)
local t = {}
for i = 1, 2 do
    local n = i
    if i == 2 then
        function t.f()
            print("f", n)
        end
    end
end
local function run()
    local count = 10
    fields.reset("go")
    emit(count)
    local m = fields.mark()
    print(m, count)
    g()
    t.f()
end
fields.show()
run()
fields.show()
return {}`;

  test("a function called once that reads its module's locals: they are declared where the call sees them, renamed", () => {
    const out = simplifyLua(modules);
    assert.doesNotMatch(out, /function fields\.reset|function emit|fields\.mark|function bump/);
    // declared before the statement leading to their block (the module's block, its function), set where they were
    assert.match(out, /local count_\d+, last_\d+, other_\d+\ndo\ncount_\d+ = 0\nlast_\d+, other_\d+ = "none", 1\n/);
    assert.match(out, /local seen_\d+\ndo\nseen_\d+ = 0\n/);
    // the other readers of a module's locals read the same ones
    assert.match(out, /function fields\.show\(\)\n {4}print\("show", count_\d+, last_\d+\)/);
    // a local of a function called more than once, or of a loop's body, stays its own
    assert.match(out, /function g\(\)/);
    assert.match(out, /function t\.f\(\)/);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, modules));
  });

  test("a table never leaving the chunk keeps the fields set once to a function in its array part where that makes it smaller", () => {
    const names = "abcdefghijklmnop".split("");
    const defs = names.map((k, i) => `function F.${k}(x)\n    return x + ${i}\nend`).join("\n");
    const fields = `local F = {}\nlocal t = {}\ndo\n${defs}\nend\nF.v = 5\nfunction t.g() return 1 end\nif F.v > 1 then\n    function F.late(x) return x end\nend\nprint(${names.map((k) => `F.${k}(1)`).join(", ")}, F.v, F.late(2), t.g())\nreturn t`;
    const out = simplifyLua(fields);
    // 18 fields: 32 hash nodes (1,024 bytes), or 16 nodes and 2 array slots (512 + 32)
    assert.equal((out.match(/F\[\d\] = function/g) ?? []).length, 2);
    assert.match(out, /F\[1\]\(1\), F\[2\]\(1\)/);
    assert.doesNotMatch(out, /F\[3\]/);
    // a value, a function set in a branch, a table that leaves the chunk: by name
    assert.match(out, /F\.v = 5\nfunction t\.g\(\)[^]*function F\.late\(x\)/);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, fields));
  });

  // 45 locals in the main chunk: inlining reset and mark into use declares their modules' locals there (52)
  const crowded = `local fields = {}
local ${Array.from({ length: 44 }, (_, i) => `a${i + 1}`).join(", ")} = ${Array.from({ length: 44 }, (_, i) => i + 1).join(", ")}
do
local count, last = 0, "none"
function fields.reset(v)
    count = count + 1
    last = v
end
function fields.show()
    print("show", count, last)
end
end
do
local marks = 0
function fields.mark(v)
    marks = marks + 10
    print("mark", v, marks)
end
end
local b1, b2, b3, b4 = "w", "x", "y", "z"
local function use(k)
    fields.reset(k)
    fields.mark(k)
    print(b1, b2, b3, b4, k)
end
use("go")
use("again")
fields.show()
print(a1 + a44)
return {}`;

  test("inlinings the main chunk's locals refuse are taken with the tail of a block made a function, when smaller on every measure", () => {
    assert.equal(fitsNodeMcu(crowded), true);
    assert.equal(simplifyLua(crowded, fitsNodeMcu), crowded);
    const out = simplifyLua(crowded, fitsNodeMcu, luaSizes);
    assert.doesNotMatch(out, /fields\.(reset|mark|show)/);
    // the tail from as many declarations back as the count was over, its return the function's
    assert.match(out, /\nreturn \(function\(\)\nlocal b1, b2, b3, b4 = "w", "x", "y", "z"\nlocal function use\(k\)[^]*\nreturn \{\}\nend\)\(\)$/);
    assert.equal(fitsNodeMcu(out), true);
    const [before, after] = [luaSizes(crowded), luaSizes(out)];
    assert.ok(after.every((n, i) => n < before[i]), `${after} vs ${before}`);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, crowded));
    // a tail in the middle of a block: `do (function() … end)() end`, the block's locals after it its own
    const middle = crowded.replace("use(\"go\")", "do\nlocal z = 1\nuse(\"go\")\nprint(z)\nend").replace("fields.show()\nprint(a1 + a44)\nreturn {}", "print(a1 + a44)\nend\nfields.show()\nreturn {}").replace("local b1", "do\nlocal b1");
    const split = simplifyLua(middle, fitsNodeMcu, luaSizes);
    assert.match(split, /\ndo \(function\(\)\nlocal b1[^]*print\(a1 \+ a44\)\nend\)\(\) end\nend\n/);
    assert.equal(fitsNodeMcu(split), true);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, split), run(lua, middle));
  });

  test("with a measure, a module's forward-declared function (`local f` … `function f`) read by a function called once is declared where the call sees it too, when smaller", () => {
    const forward = `local fields = {}
do
local helper
local count = 0
function helper(v)
    count = count + v
    return count
end
function fields.reset(v)
    print("reset", helper(v))
end
function fields.show()
    print("show", helper(0))
end
end
local function use(k)
    fields.reset(k)
    print(k)
end
use(1)
use(2)
fields.show()
return {}`;
    assert.equal(simplifyLua(forward, fitsNodeMcu), forward);
    const out = simplifyLua(forward, fitsNodeMcu, luaSizes);
    assert.match(out, /^local fields = \{\}\nlocal helper_\d+\ndo\n\nlocal count = 0\nfunction helper_\d+\(v\)/);
    assert.match(out, /local function use\(k\)\n {4}do\nprint\("reset", helper_\d+\(k\)\)\nend/);
    assert.doesNotMatch(out, /fields\.(reset|show)/);
    for (const lua of ["lua5.1", "lua5.3"]) assert.equal(run(lua, out), run(lua, forward));
  });

  test("a split that does not make the chunk smaller on every measure is left out", () => {
    const out = simplifyLua(crowded, fitsNodeMcu, (lua) => [...luaSizes(lua), /\(function\(\)/.test(lua) ? 1 : 0]);
    assert.equal(out, crowded);
  });

  test("an inlining the limit check refuses is left out", () => {
    const out = simplifyLua(once, (lua) => !/local k = n/.test(lua) || 1);
    assert.match(out, /local function add\(k, unused\)/);
    assert.doesNotMatch(out, /function report/);
  });
});
