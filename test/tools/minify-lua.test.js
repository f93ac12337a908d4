// minifyLua on a small TSTL-shaped bundle: comments and whitespace go, locals get short names,
// globals, fields, string bytes and numerals stay exactly as written, every function keeps its
// locals, and the result compiles and behaves the same as the original on lua5.1 and lua5.3.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import luaparse from "luaparse";
import { minifyLua } from "../../tools/build/minify-lua.js";
import { parseListing, peakActiveLocals } from "../../tools/dialect/lua-locals.js";
import { TSTL_SHIM } from "../support/tstl-shim.js";

// 45 locals in one function plus 10 module-level upvalues used inside it: more than the 53
// one-character names, so two-character ones are needed, and the global `aa` must not be shadowed.
const MANY = 45;
const UPVALUES = 10;
const manyLocals = [
  ...Array.from({ length: UPVALUES }, (_, i) => `local moduleLevel${i} = ${i * 1000}`),
  "function ____exports.many()",
  `    local ${Array.from({ length: MANY }, (_, i) => `value${i}`).join(", ")} = ${Array.from({ length: MANY }, (_, i) => i + 1).join(", ")}`,
  `    local sum = ${Array.from({ length: MANY }, (_, i) => `value${i}`).join(" + ")}`,
  `    return sum + ${Array.from({ length: UPVALUES }, (_, i) => `moduleLevel${i}`).join(" + ")}, aa`,
  "end",
].join("\n");

// Byte strings are written as latin1 text: "\xe9\xff" below are raw 8-bit bytes in the Lua source.
const SAMPLE = `-- A TSTL-shaped bundle.
--[[ a long
comment ]]
--[==[ level-2 comment: ]] is not its end ]==]
${TSTL_SHIM}____modules = {
["lualib_bundle"] = function(...) 
local function __TS__Class(self)
    local c = {prototype = {}}
    c.prototype.__index = c.prototype
    c.prototype.constructor = c
    return c
end

local function __TS__New(target, ...)
    local instance = setmetatable({}, target.prototype)
    instance:____constructor(...)
    return instance
end

return {
  __TS__Class = __TS__Class,
  __TS__New = __TS__New
}
 end,
["src.sample"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__New = ____lualib.__TS__New
local ____exports = {}
--- Byte strings: CRLF, NUL, decimal escapes, raw 8-bit bytes, quotes and backslashes.
____exports.CRLF = "\\r\\n"
____exports.BYTES = "a\\0b\\1\\0012\\255\\128\\r\\n" .. '\\'"\\\\' .. "raw\xe9\xff\\
next"
____exports.LONG = [[
first line -- not a comment
]] .. [==[ ]] [[ ]==]
____exports.DASHES = "--[[ not a comment ]]"
____exports.MAX = 2147483647
____exports.BIG = 1e9
____exports.HEX = 0x7fffffff
local limit = 10
____exports.Counter = __TS__Class()
local Counter = ____exports.Counter
Counter.name = "Counter"
function Counter.prototype.____constructor(self, start)
    self.count = start
    self.history = {}
end
function Counter.prototype.add(self, amount)
    local before = self.count
    self.count = self.count + amount
    self.history[#self.history + 1] = before
    return self.count - before
end
function Counter.prototype:label(prefix)
    return prefix .. ":" .. tostring(self.count) .. self["name" .. "Suffix"]
end
Counter.prototype.nameSuffix = "/c"
local function pair(...)
    return select("#", ...), ...
end
function ____exports.run(n)
    local counter = __TS__New(Counter, n)
    local total = 0
    do
        local i = 0
        while i < limit do
            total = total + counter:add(i)
            i = i + 1
        end
    end
    for k, v in ipairs(counter.history) do
        total = total - -v + k
    end
    local count, first = pair(nil, 2, nil)
    local shadow = total
    do
        local shadow = shadow .. "!"
        total = shadow
    end
    local r = 0
    repeat
        local step = 3
        r = r + step
    until r >= 9 and step == 3
    return total, count, first, counter:label("c"), (pair(1, 2)), r, 1 ..2, string.byte("A"), -2147483647
end
function ____exports.globals()
    local counted = (GLOBAL_COUNTER or 0) + 1
    GLOBAL_COUNTER = counted
    return GLOBAL_COUNTER, a, b
end
local function arity(arg, ...)
    return type(arg), select("#", ...)
end
____exports.arity = arity
${manyLocals}
return ____exports
 end,
}
local ____entry = require("src.sample", ...)
return ____entry
`;

// Prints everything the sample computes; globals a, b and aa must still be read as globals.
const DRIVER = `a, b, aa = "global a", "global b", 100000
local lib = dofile(arg[1])
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
print(hex(lib.CRLF), hex(lib.BYTES), hex(lib.LONG), lib.DASHES, lib.MAX, lib.BIG, lib.HEX)
print(lib.run(4))
print(lib.globals())
print(lib.globals())
print(lib.arity(1, 2, 3))
print(lib.many())
`;

const BYTES_HEX = [..."a\0b\x01\x012\xff\x80\r\n'\"\\raw\xe9\xff\nnext"].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");

let dir;
let minified;
// The minified text with every string literal replaced by "".
let code;
const files = {};

function run(command, args, input) {
  const result = spawnSync(command, args, { encoding: "latin1", input: input === undefined ? undefined : Buffer.from(input, "latin1") });
  if (result.error?.code === "ENOENT") throw new Error(`${command} not found: install it with: apt-get install -y lua5.1 lua5.3`);
  return result;
}

function tokens(source) {
  const lexer = luaparse.parse(source, { luaVersion: "5.1", encodingMode: "pseudo-latin1", wait: true });
  const list = [];
  for (let t = lexer.lex(); t.type !== luaparse.tokenTypes.EOF; t = lexer.lex()) list.push({ type: t.type, range: t.range, text: source.slice(t.range[0], t.range[1]) });
  return list;
}

function tokenTexts(source, type) {
  return tokens(source).filter((t) => t.type === type).map((t) => t.text);
}

/** Global names referenced, and field/key names used (a.x, a:x, {x = …}), from the syntax tree. */
function namesOf(source) {
  const fields = [];
  const chunk = luaparse.parse(source, {
    luaVersion: "5.1", encodingMode: "pseudo-latin1", scope: true,
    onCreateNode(node) {
      if (node.type === "MemberExpression") fields.push(node.indexer + node.identifier.name);
      if (node.type === "TableKeyString") fields.push("{" + node.key.name);
    },
  });
  return { globals: [...new Set(chunk.globals.map((g) => g.name))].sort(), fields };
}

function localsPerFunction(file) {
  const result = run("luac5.1", ["-l", "-l", "-o", "/dev/null", file]);
  assert.equal(result.status, 0, result.stderr);
  return parseListing(result.stdout).map((f) => ({ locals: f.locals.length, peak: peakActiveLocals(f.locals).peak }));
}

describe("minifyLua", () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "nats-mcu-minify-"));
    minified = minifyLua(SAMPLE);
    files.original = join(dir, "original.lua");
    files.minified = join(dir, "minified.lua");
    files.driver = join(dir, "driver.lua");
    writeFileSync(files.original, SAMPLE, "latin1");
    writeFileSync(files.minified, minified, "latin1");
    writeFileSync(files.driver, DRIVER, "latin1");
    code = "";
    let end = 0;
    for (const t of tokens(minified)) {
      if (t.type !== luaparse.tokenTypes.StringLiteral) continue;
      code += minified.slice(end, t.range[0]) + '""';
      end = t.range[1];
    }
    code += minified.slice(end);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("drops comments, indentation and needless whitespace", () => {
    assert.ok(minified.length < SAMPLE.length * 0.6, `${SAMPLE.length} -> ${minified.length} bytes`);
    // Outside string literals: no comment, no run of whitespace.
    assert.doesNotMatch(code, /--/);
    assert.doesNotMatch(code, /\s\s|^\s|\t/m);
    // The only blanks left keep words apart, or two minus signs (`- -v`), or a numeral from `..`.
    for (const m of code.matchAll(/(.)[ \n](.)/g)) {
      assert.ok(/\w/.test(m[1]) && /\w/.test(m[2]) || m[1] === "-" && m[2] === "-" || /\d/.test(m[1]) && m[2] === ".", JSON.stringify(m[0]));
    }
  });

  test("renames locals, parameters and loop variables to short names", () => {
    for (const name of ["____modules", "____moduleCache", "file", "module", "target", "instance", "____exports",
      "counter", "total", "shadow", "step", "prefix", "amount", "before", "limit", "value0", "moduleLevel9", "pair", "hex"]) {
      assert.doesNotMatch(code, new RegExp(`\\b${name}\\b`), name);
    }
    const identifiers = tokenTexts(minified, luaparse.tokenTypes.Identifier);
    assert.ok(identifiers.some((n) => n.length === 2), "more than 53 names in one scope need two characters");
  });

  test("keeps globals, fields, method names and keys", () => {
    const before = namesOf(SAMPLE);
    const after = namesOf(minified);
    assert.deepEqual(after.globals, before.globals);
    assert.deepEqual(after.fields, before.fields);
    for (const name of ["GLOBAL_COUNTER", "aa", "select", "setmetatable", "____constructor", "prototype", "nameSuffix"]) {
      assert.match(minified, new RegExp(`\\b${name}\\b`), name);
    }
    // A method's implicit self cannot be renamed.
    assert.match(minified, /self\.count/);
  });

  test("keeps every string literal and numeral byte for byte", () => {
    assert.deepEqual(tokenTexts(minified, luaparse.tokenTypes.StringLiteral), tokenTexts(SAMPLE, luaparse.tokenTypes.StringLiteral));
    const numerals = tokenTexts(minified, luaparse.tokenTypes.NumericLiteral);
    assert.deepEqual(numerals, tokenTexts(SAMPLE, luaparse.tokenTypes.NumericLiteral));
    for (const n of ["2147483647", "1e9", "0x7fffffff", "1", "2"]) assert.ok(numerals.includes(n), n);
    assert.ok(minified.includes("raw\xe9\xff\\\nnext"), "raw 8-bit bytes and an escaped newline kept");
  });

  test("compiles with luac5.1 -p and luac5.3 -p", () => {
    for (const luac of ["luac5.1", "luac5.3"]) {
      for (const file of [files.original, files.minified]) {
        const result = run(luac, ["-p", file]);
        assert.equal(result.status, 0, `${luac} ${file}: ${result.stderr}`);
      }
    }
  });

  test("keeps each function's locals, so the NodeMCU 5.1 limit of 50 holds as before", () => {
    const before = localsPerFunction(files.original);
    assert.deepEqual(localsPerFunction(files.minified), before);
    assert.ok(before.some((f) => f.peak >= MANY), "the sample has a function with many locals");
  });

  for (const lua of ["lua5.1", "lua5.3"]) {
    test(`runs identically on ${lua}`, () => {
      const original = run(lua, [files.driver, files.original]);
      assert.equal(original.status, 0, original.stderr);
      assert.ok(original.stdout.includes(BYTES_HEX), original.stdout);
      assert.match(original.stdout, /global a\tglobal b/);
      const result = run(lua, [files.driver, files.minified]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stdout, original.stdout);
    });
  }

  test("separates tokens that would merge", () => {
    const cases = {
      "local x = 1 return x - -x": /-\s-/,
      "local s = 1 .. 2 return s": /1\s\.\./,
      "local t = {} t[ [[k]] ] = 1 return t": /\[\s\[\[/,
      "local a = 1 local b = a return a == b, a <= b, a ~= b": /==|<=|~=/,
      "return ... , select('#', ...)": /^return\.\.\.,select\('#',\.\.\.\)$/,
    };
    for (const [source, pattern] of Object.entries(cases)) {
      const out = minifyLua(source);
      assert.match(out, pattern, out);
      for (const luac of ["luac5.1", "luac5.3"]) assert.equal(run(luac, ["-p", "-"], out).status, 0, `${luac}: ${out}`);
      assert.deepEqual(tokens(out).map((t) => t.type), tokens(source).map((t) => t.type), out);
    }
  });

  test("names may be reused across scopes but never capture an outer local or a global", () => {
    const source = "local outer = 1 local function f(p) local q = p + outer return q + g end " +
      "local function h(r) local s = r * 2 return s end return f(1) + h(2)";
    const out = minifyLua(source);
    const { globals } = namesOf(out);
    assert.deepEqual(globals, ["g"]);
    // `outer` is referenced inside f, so f's locals need names other than outer's.
    const ast = luaparse.parse(out, { luaVersion: "5.1" });
    const outerName = ast.body[0].variables[0].name;
    const fLocals = [ast.body[1].parameters[0].name, ast.body[1].body[0].variables[0].name];
    assert.ok(!fLocals.includes(outerName) && !fLocals.includes("g"), out);
  });

  test("leaves out `= nil` of a local declaration and an empty `do end`", () => {
    const source = "local a = nil\nlocal b, c = nil, nil\ndo end\nif a then do end end\nlocal d = nil, 1\nreturn a, b, c, d";
    const out = minifyLua(source);
    assert.equal(out, "local a local b,c if a then end local d=nil,1 return a,b,c,d");
    for (const lua of ["lua5.1", "lua5.3"]) {
      assert.equal(run(lua, ["-e", `print(select("#", (function() ${out} end)()))`]).stdout, run(lua, ["-e", `print(select("#", (function() ${source.replace(/\n/g, " ")} end)()))`]).stdout);
    }
  });
});
