// The dialect plugin (tools/build/dialect-plugin.cjs): string operations inlined without lualib, and an
// index that string.sub would evaluate twice refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as tstl from "typescript-to-lua";
import { join } from "node:path";
import { ROOT } from "../../tools/boards.js";

function transpile(code) {
  const { diagnostics, transpiledFiles } = tstl.transpileVirtualProject(
    { "main.ts": code },
    {
      luaTarget: tstl.LuaTarget.Universal,
      luaLibImport: tstl.LuaLibImportKind.RequireMinimal,
      noImplicitSelf: true,
      noHeader: true,
      lib: ["lib.es5.d.ts"],
      luaPlugins: [{ name: join(ROOT, "tools", "build", "dialect-plugin.cjs") }],
    },
  );
  assert.deepEqual(diagnostics.map((d) => d.messageText), []);
  return transpiledFiles.find((f) => f.lua !== undefined).lua;
}

test("charCodeAt, charAt, substring and slice become string.byte / string.sub", () => {
  const lua = transpile(
    "export function f(s: string, i: number): string { return String(s.charCodeAt(i)) + s.charAt(i) + s.substring(i, 3) + s.slice(1); }",
  );
  assert.match(lua, /string\.byte\(s, i \+ 1\)/);
  assert.match(lua, /string\.sub\(s, i \+ 1, i \+ 1\)/);
  assert.match(lua, /string\.sub\(s, i \+ 1, 3\)/);
  assert.match(lua, /string\.sub\(s, 2\)/);
  assert.doesNotMatch(lua, /__TS__/);
});

test("charAt with an index that has side effects is refused", () => {
  assert.throws(
    () => transpile("let n = 0; function next(): number { n++; return n; } export function f(s: string): string { return s.charAt(next()); }"),
    /charAt\(\.\.\.\) needs a variable or literal index/,
  );
});

test("the +1 of a string index folds into a constant term: i + 2 → i + 3, i - 1 → i, i - 3 → i - 2", () => {
  const lua = transpile(
    "export function f(s: string, i: number): number { return s.charCodeAt(i + 2) + s.charCodeAt(i - 1) + s.charCodeAt(i - 3) + s.substring(i + 4, i).length; }",
  );
  assert.match(lua, /string\.byte\(s, i \+ 3\)/);
  assert.match(lua, /string\.byte\(s, i\)/);
  assert.match(lua, /string\.byte\(s, i - 2\)/);
  assert.match(lua, /string\.sub\(s, i \+ 5, i\)/);
});

test("an array index i + n folds TSTL's + 1 into its constant term", () => {
  const lua = transpile("export function f(a: number[], i: number): number { a[i + 1] = a[i - 1] + a[i]; return a[i + 2]; }");
  assert.match(lua, /a\[i \+ 2\] = a\[i\] \+ a\[i \+ 1\]/);
  assert.match(lua, /return a\[i \+ 3\]/);
});

test("indexOf: string.find without math.max, and a comparison with -1 / 0 / k as a test of find's result", () => {
  const lua = transpile(
    "export function f(s: string, i: number): number { return s.indexOf(\"a\", i + 1); }\n" +
      "export function g(s: string): boolean { return s.indexOf(\"a\") >= 0 && s.indexOf(\"b\") < 0 && s.indexOf(\"c\") !== -1 && s.indexOf(\"d\") === 0; }",
  );
  assert.match(lua, /return \(string\.find\(s, "a", i \+ 2, true\) or 0\) - 1/);
  assert.match(lua, /string\.find\(s, "a", nil, true\) ~= nil and string\.find\(s, "b", nil, true\) == nil/);
  assert.match(lua, /string\.find\(s, "c", nil, true\) ~= nil and string\.find\(s, "d", nil, true\) == 1/);
  assert.doesNotMatch(lua, /math\.max/);
});

test("a conditional whose true branch may be nil is one and/or expression where that is exact", () => {
  const lua = transpile(
    "export function f(a: number, s: string): string | undefined { return a > 0 ? undefined : s; }\n" +
      "export function g(a: number, s: string | undefined): string | undefined { return a > 0 ? s : undefined; }\n" +
      "export function h(a: number, s: string | undefined): string | undefined { return a > 0 ? s : \"x\"; }\n" +
      "export function k(a: number, b: boolean | undefined): boolean | undefined { return a > 0 ? b : undefined; }",
  );
  assert.match(lua, /return not \(a > 0\) and s or nil/);
  assert.match(lua, /return a > 0 and s or nil/);
  assert.match(lua, /return not \(a > 0\) and "x" or s/);
  // b may be false: the temporary stays
  assert.match(lua, /____temp/);
});

test("typeof x === \"object\" && x !== null: type(x) == \"table\" alone (nil is no table)", () => {
  const lua = transpile("export function f(x: unknown): boolean { return typeof x === \"object\" && x !== null; }");
  assert.match(lua, /return type\(x\) == "table"\n/);
});

test("x !== undefined ? x : y and x === undefined ? y : x: x or y where x is never false", () => {
  const lua = transpile(
    "export function f(x: string | undefined, y: string): string { return x !== undefined ? x : y; }\n" +
      "export function g(x: string | undefined): string { return x === undefined ? \"\" : x; }\n" +
      "export function h(x: boolean | undefined): boolean { return x !== undefined ? x : true; }",
  );
  assert.match(lua, /return x or y\n/);
  assert.match(lua, /return x or ""\n/);
  // x may be false: not x or true
  assert.doesNotMatch(lua, /return x or true/);
});
