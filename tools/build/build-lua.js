// NodeMCU build: TypeScriptToLua with the dialect's settings (dialect.md §6): one bundled module,
// require-minimal lualib, no self on plain functions, and the dialect plugin inlining string ops.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tstl from "typescript-to-lua";
import ts from "typescript";
import { ROOT } from "../boards.js";
import { NODEMCU_MAX_LOCALS } from "../dialect/check-lua.js";
import { compileError, listing } from "../dialect/luac.js";
import { lineOfPc, parseListing, peakActiveLocals } from "../dialect/lua-locals.js";
import { flattenLua, simplifyLua } from "./flatten-lua.js";
import { minifyLua } from "./minify-lua.js";

function tsconfigFor(outDir, include, entry, bundle, external) {
  return {
    compilerOptions: {
      target: "ES2017",
      lib: ["ES5"],
      module: "esnext",
      moduleResolution: "bundler",
      moduleDetection: "force",
      strict: true,
      noImplicitReturns: true,
      noFallthroughCasesInSwitch: true,
      types: [],
      rootDir: ".",
      outDir,
    },
    include,
    tstl: {
      luaTarget: "universal",
      luaLibImport: "require-minimal",
      luaBundle: bundle,
      luaBundleEntry: entry,
      noResolvePaths: external,
      noImplicitSelf: true,
      noImplicitGlobalVariables: true,
      noHeader: true,
      sourceMapTraceback: false,
      luaPlugins: [{ name: join(ROOT, "tools", "build", "dialect-plugin.cjs") }],
    },
  };
}

/**
 * True when lua compiles on Lua 5.1 (60 upvalues a function at most) and 5.3 and no function has more
 * than NodeMCU's 50 active locals; else {over: how many locals too many (1 for a compile error), line,
 * upvalues: whether a function has more than 60 upvalues}.
 */
export function fitsNodeMcu(lua) {
  const error = compileError("luac5.1", lua) ?? compileError("luac5.3", lua);
  if (error !== undefined) return { over: 1, line: error.line, upvalues: /upvalues/.test(error.message) };
  for (const fn of parseListing(listing("luac5.1", lua))) {
    const { peak, at } = peakActiveLocals(fn.locals);
    if (peak > NODEMCU_MAX_LOCALS) return { over: peak - NODEMCU_MAX_LOCALS, line: lineOfPc(fn, Math.max(1, at.start - 1)) };
  }
  return true;
}

/** Bytes of lua compiled by luac (luac5.1, luac5.3) with debug information stripped. */
function strippedBytes(luac, lua) {
  const out = join(tmpdir(), `nats-mcu-${process.pid}.luac`);
  const r = spawnSync(luac, ["-s", "-o", out, "-"], { input: Buffer.from(lua, "latin1") });
  if (r.status !== 0) throw new Error(`${luac} failed: ${r.stderr}`);
  const bytes = statSync(out).size;
  rmSync(out);
  return bytes;
}

/** What a build is weighed by: the minified source's bytes, luac5.1 -s and luac5.3 -s bytes. */
export function luaSizes(lua) {
  return [Buffer.byteLength(minifyLua(lua), "latin1"), strippedBytes("luac5.1", lua), strippedBytes("luac5.3", lua)];
}

/**
 * Transpile one entry of the staged sources (include: globs relative to stageDir) into one bundled
 * Lua file named `bundle`; `external` lists require() names left to the board (the library, config).
 * Returns its text, the bundle flattened into sequential module blocks (flatten-lua.js).
 */
export function buildNodeMcuLua(stageDir, { entry, include, bundle, external = [] }) {
  const outDir = join(stageDir, "lua");
  const configPath = join(stageDir, `tsconfig.${bundle}.json`);
  writeFileSync(configPath, JSON.stringify(tsconfigFor(outDir, include, entry, bundle, external), null, 2));
  const result = tstl.transpileProject(configPath);
  const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const text = ts.formatDiagnostics(errors, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => stageDir,
      getNewLine: () => "\n",
    });
    throw new Error(`typescript-to-lua failed:\n${text}`);
  }
  return simplifyLua(flattenLua(readFileSync(join(outDir, bundle), "latin1"), fitsNodeMcu), fitsNodeMcu, luaSizes);
}
