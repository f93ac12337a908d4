// NodeMCU build: TypeScriptToLua with the dialect's settings (dialect.md §6): one bundled module,
// require-minimal lualib, no self on plain functions, and the dialect plugin inlining string ops.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tstl from "typescript-to-lua";
import ts from "typescript";
import { ROOT } from "../boards.js";

export const LUA_FILE = "nats_mcu.lua";

function tsconfigFor(outDir) {
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
    include: ["src/**/*.ts"],
    tstl: {
      luaTarget: "universal",
      luaLibImport: "require-minimal",
      luaBundle: LUA_FILE,
      luaBundleEntry: "src/index.ts",
      noImplicitSelf: true,
      noImplicitGlobalVariables: true,
      noHeader: true,
      sourceMapTraceback: false,
      luaPlugins: [{ name: join(ROOT, "sim", "build", "dialect-plugin.cjs") }],
    },
  };
}

/** Transpile the staged sources; returns the bundled Lua text. */
export function buildNodeMcuLua(stageDir) {
  const outDir = join(stageDir, "lua");
  const configPath = join(stageDir, "tsconfig.lua.json");
  writeFileSync(configPath, JSON.stringify(tsconfigFor(outDir), null, 2));
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
  return readFileSync(join(outDir, LUA_FILE), "utf8");
}
