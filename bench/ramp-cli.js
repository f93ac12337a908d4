#!/usr/bin/env node
// The fleet ramp on its own: prints the steps and the largest clean fleet of each runtime, writes the
// plot (and with --json the figures).
//
//   node bench/ramp-cli.js [out.svg] [--smoke] [--duration s] [--budget s] [--runtime espruino|nodemcu]…
//                          [--counts 10,25,50] [--refine n] [--json out.json]
//
// out.svg defaults to build/bench/ramp.svg.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { plotRamp } from "./plot.js";
import { fleetRamp, rampTable } from "./ramp.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    smoke: { type: "boolean", default: false },
    duration: { type: "string" },
    budget: { type: "string" },
    runtime: { type: "string", multiple: true },
    counts: { type: "string" },
    refine: { type: "string" },
    json: { type: "string" },
  },
});

const number = (text) => (text === undefined ? undefined : Number(text));
const svg = positionals[0] ?? join(ROOT, "build", "bench", "ramp.svg");

function maxLines(max) {
  return Object.entries(max).map(([runtime, m]) => {
    const head = `${runtime}: ${m.boards} boards${m.lowerBound ? " or more (no step failed before the ramp ended)" : ""}`;
    const figures = m.boards > 0 ? `, ${m.cpuPercent} % CPU over the step (${m.steadyCpuPercent} % steady), ${m.rssMB} MB RSS` : "";
    const failed = m.failedAt ? `; failed at ${m.failedAt.boards}: ${m.failedAt.why}` : "";
    return `${head}${figures}${failed}`;
  });
}

const result = await fleetRamp({
  smoke: values.smoke,
  durationS: number(values.duration),
  budgetS: number(values.budget),
  runtimes: values.runtime,
  counts: values.counts?.split(",").map(Number),
  refine: number(values.refine),
  log: (line) => console.error(line),
});

console.log(rampTable(result));
console.log("");
console.log("largest clean fleet (one publish round a second per board, nothing lost):");
for (const line of maxLines(result.max)) console.log(`  ${line}`);
console.log(`ramp wall time: ${result.wallS} s`);
console.log(`plot: ${await plotRamp(result, svg)}`);
if (values.json) {
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(values.json, JSON.stringify(result, null, 2) + "\n");
  console.log(`figures: ${values.json}`);
}
process.exitCode = Object.values(result.max).every((m) => m.boards > 0) ? 0 : 1;
