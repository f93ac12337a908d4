// Espruino build: tsc (ES2015, dialect.md §6) → rollup (one CommonJS-style file; a library assigns to
// `exports`, like Espruino's own modules) → terser -c -m --toplevel (espruino.md §2: Espruino runs
// source text, so every byte costs RAM).
import { join } from "node:path";
import ts from "typescript";
import { rollup } from "rollup";
import { minify } from "terser";

const TS_OPTIONS = {
  target: ts.ScriptTarget.ES2015,
  module: ts.ModuleKind.ES2015,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ["lib.es5.d.ts"],
  types: [],
  strict: true,
  noImplicitReturns: true,
  removeComments: true,
  useDefineForClassFields: false,
  importHelpers: false,
  noEmitHelpers: true,
};

function formatDiagnostics(diagnostics) {
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => "\n",
  });
}

/**
 * Compile one entry of the staged sources (paths relative to stageDir; declarations are extra .d.ts
 * roots) into one minified script. Returns its text.
 */
export async function buildEspruinoJs(stageDir, { entry, declarations = [] }) {
  const outDir = join(stageDir, "js");
  const roots = [entry, ...declarations].map((f) => join(stageDir, f));
  const program = ts.createProgram(roots, { ...TS_OPTIONS, rootDir: stageDir, outDir });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  if (diagnostics.length > 0) {
    throw new Error(`tsc failed:\n${formatDiagnostics(diagnostics)}`);
  }
  const bundle = await rollup({
    input: join(outDir, entry.replace(/\.ts$/, ".js")),
    onwarn: (w) => {
      throw new Error(`rollup: ${w.message}`);
    },
  });
  const { output } = await bundle.generate({
    format: "cjs",
    exports: "named",
    esModule: false,
    strict: false,
    freeze: false,
    generatedCode: { preset: "es2015", symbols: false },
  });
  await bundle.close();
  const min = await minify(output[0].code, {
    // inline 1: functions with arguments inlined become `var` declarations after their first use, and
    // Espruino does not hoist (espruino.md §1)
    compress: { passes: 2, inline: 1 },
    mangle: { toplevel: true },
    toplevel: true,
    format: { ascii_only: true },
  });
  return min.code;
}
