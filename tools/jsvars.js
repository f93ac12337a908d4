#!/usr/bin/env node
// JsVars a JavaScript module costs on genuine Espruino once loaded, and at the peak of loading it: the
// emulator's calibrated model (sim/espruino/memory.js moduleVars; calibration table in sim/espruino/README.md).
//
//   node tools/jsvars.js <file.js> [--layout 14|12] [--method cached|inline|storage] [--id <module id>] [--json]
//
// --layout: bytes per JsVar, 14 for ESP32 (default), 12 for ESP8266 (boards.json memory.bytesPerUnit).
// --method: cached (default) is Modules.addCached("id", "<string literal>"), what the espruino CLI uploads;
// inline runs the file at the top level; storage evaluates it as a module from a Storage file.
// --budget <vars>: the board's pool (default 16383 for layout 14, 1600 for 12); the exit code is 1 when the
// load would run out of memory on it (baseline + peak > budget).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LAYOUTS, layoutFor, moduleVars } from "../sim/espruino/memory.js";

const METHODS = ["cached", "inline", "storage"];
const DEFAULT_BUDGET = { 14: 16383, 12: 1600 };

/**
 * The model's full answer for one load.
 * @param {string} source the module as sent to the board (minified), a byte string
 * @param {{ bytesPerUnit?: number, method?: "cached" | "inline" | "storage", id?: string }} [options]
 * @returns {{ resident: number, peak: number, text: number, functions: number, codeVars: number, baseline: number }}
 */
export function jsVarsLoad(source, { bytesPerUnit = 14, method = "cached", id = "module" } = {}) {
  const result = moduleVars(source, { method, layout: bytesPerUnit, id });
  return { ...result, baseline: layoutFor(bytesPerUnit).baseline };
}

/**
 * JsVars the module keeps after it is loaded (what `process.memory().usage` grows by), per the model.
 * @param {string} source
 * @param {{ bytesPerUnit?: number, method?: "cached" | "inline" | "storage", id?: string }} [options]
 * @returns {number}
 */
export function jsVarsAfterLoad(source, options = {}) {
  return jsVarsLoad(source, options).resident;
}

function usage(message) {
  if (message) console.error(`jsvars: ${message}`);
  console.error("usage: node tools/jsvars.js <file.js> [--layout 14|12] [--method cached|inline|storage] [--id <name>] [--budget <vars>] [--json]");
  process.exitCode = 2;
}

function main(args) {
  let file;
  let bytesPerUnit = 14;
  let method = "cached";
  let id;
  let budget;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new Error(`${arg} needs a value`);
      return args[++i];
    };
    if (arg === "--layout") bytesPerUnit = Number(next());
    else if (arg === "--method") method = next();
    else if (arg === "--id") id = next();
    else if (arg === "--budget") budget = Number(next());
    else if (arg === "--json") json = true;
    else if (arg === "-h" || arg === "--help") return usage();
    else if (arg.startsWith("--")) return usage(`unknown option ${arg}`);
    else if (file === undefined) file = arg;
    else return usage(`one file only (got ${file} and ${arg})`);
  }
  if (file === undefined) return usage("no file");
  if (!Number.isInteger(bytesPerUnit) || bytesPerUnit < 8) return usage(`--layout must be bytes per JsVar, e.g. 14 or 12`);
  if (!METHODS.includes(method)) return usage(`--method must be one of ${METHODS.join(", ")}`);
  if (!LAYOUTS[bytesPerUnit]) console.error(`jsvars: layout ${bytesPerUnit} is not calibrated (only ${Object.keys(LAYOUTS).join(", ")}); estimating`);

  const source = readFileSync(file, "latin1"); // Espruino strings are 8-bit: one char per byte
  const moduleId = id ?? file.replace(/^.*[\\/]/, "").replace(/\.(min\.)?js$/, "");
  const result = jsVarsLoad(source, { bytesPerUnit, method, id: moduleId });
  const pool = budget ?? DEFAULT_BUDGET[bytesPerUnit];
  const outOfMemory = pool !== undefined && result.baseline + result.peak > pool;
  if (json) {
    console.log(JSON.stringify({ file, bytes: source.length, layout: bytesPerUnit, method, ...result, budget: pool, outOfMemory }));
  } else {
    console.log(`${file}: ${source.length} B, layout ${bytesPerUnit} B/var, ${method}`);
    console.log(`  after load: ${result.resident} vars (${result.functions} functions, ${result.codeVars} vars of function text)`);
    console.log(`  peak while loading: ${result.peak} vars (source text ${result.text})`);
    if (pool !== undefined) {
      const needed = result.baseline + result.peak;
      console.log(`  on ${pool} vars with a ${result.baseline}-var baseline: ${outOfMemory ? `OUT OF MEMORY (needs ${needed})` : `${pool - result.baseline - result.resident} free after load`}`);
    }
  }
  if (outOfMemory) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
