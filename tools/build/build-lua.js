// NodeMCU build: TypeScriptToLua with the dialect's settings (dialect.md §6): one bundled module,
// require-minimal lualib, no self on plain functions, and the dialect plugin inlining string ops.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tstl from "typescript-to-lua";
import ts from "typescript";
import { ROOT } from "../boards.js";

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
 * Transpile one entry of the staged sources (include: globs relative to stageDir) into one bundled
 * Lua file named `bundle`; `external` lists require() names left to the board (the library, config).
 * Returns its text.
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
  return readFileSync(join(outDir, bundle), "latin1");
}
