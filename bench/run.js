#!/usr/bin/env node
// `npm run bench`: every benchmark in one run on this machine, each a ratio against a peer measured in
// the same run (bench/README.md says what is and is not comparable). Prints the tables, writes
// results.json and the fleet ramp's plot (ramp.svg) into bench/ (or --out dir).
//   node bench/run.js [--smoke] [--out dir]
// --smoke: tiny sizes, one 2-board step per runtime; proves every path works (npm test runs it).
// Builds what is missing first. Nothing here is a timed assertion.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../tools/boards.js";
import { testBuildPath } from "../test/build/build-tests.js";
import { startServer } from "../sim/server/nats-server.js";
import { hostBench } from "./host.js";
import { luaCost } from "./lua-cost.js";
import { plotRamp } from "./plot.js";
import { fleetRamp, rampTable } from "./ramp.js";
import { sizes } from "./sizes.js";

const { values } = parseArgs({ options: { smoke: { type: "boolean", default: false }, out: { type: "string" } } });
const smoke = values.smoke;
const out = values.out ?? join(ROOT, "bench");
const log = (line) => console.error(line);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

function ensureBuilds() {
  if (!existsSync(join(ROOT, "build", "esp32-espruino", "manifest.json"))) run(process.execPath, ["tools/cli.js", "build"]);
  if (!existsSync(testBuildPath("nodemcu", "full", "client"))) run(process.execPath, ["test/build/build-tests.js"]);
}

/** Allocation meters: Lua (each version) and V8, n operations each. */
function allocation(n) {
  const lua = {};
  for (const v of ["lua5.1", "lua5.3"]) lua[v] = JSON.parse(run(v, ["bench/lua/alloc-run.lua", join(ROOT, "build", "test"), String(n)]));
  const v8 = JSON.parse(run(process.execPath, ["--expose-gc", "bench/v8-alloc.js", String(n)]));
  return { lua, v8 };
}

const fmt = (x, digits = 0) => (x === null || x === undefined ? "-" : typeof x === "number" ? x.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : String(x));

function table(title, header, rows) {
  const all = [header, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return `\n${title}\n${all.map(line).join("\n")}`;
}

function report(results) {
  const met = (ratio, target, higherIsBetter) => (target === null || target === undefined ? "" : (higherIsBetter ? ratio >= target : ratio <= target) ? "met" : "NOT met");
  const parts = [];
  parts.push(table("Host throughput (msg/s; ratio = nats-mcu / nats.js)", ["test", "nats-mcu", "nats.js", "raw floor", "ratio", "target", ""],
    results.host.rows.map((r) => [r.test, fmt(r.natsMcu), fmt(r.natsJs), fmt(r.raw), fmt(r.ratio, 2), r.target ? `>= ${r.target}` : "-", met(r.ratio, r.target, true)])));
  parts.push(table("Lua instructions per operation (callgrind; ratio = nats-mcu / floor)", ["lua", "operation", "nats-mcu", "floor", "ratio", "target", ""],
    results.luaCost.map((r) => [r.lua, r.op, fmt(r.natsMcu), fmt(r.floor), fmt(r.ratio, 2), r.target ? `<= ${r.target}` : "-", met(r.ratio, r.target, false)])));
  const ops = ["publish", "burstPublish", "delivery", "request", "idleTick"];
  parts.push(table("Bytes allocated per operation (Lua: collector stopped; V8: no collection during the run)", ["runtime", ...ops],
    [...Object.entries(results.alloc.lua).map(([v, a]) => [v, ...ops.map((o) => fmt(a[o], 1))]),
      ["V8 (JS build)", ...ops.map((o) => fmt(results.alloc.v8[o].bytesPerOp, 1))]]));
  parts.push(table("Sizes (anchors: Espruino MQTT module 6,139 B / 633 JsVars, tinyMQTT 1,783 B / 208 JsVars)",
    ["board", "profile", "bytes", "JsVars loaded", "JsVars connected", "luac5.1 -s", "luac5.3 -s"],
    results.sizes.rows.map((r) => [r.board, r.profile, fmt(r.bytes), fmt(r.jsvarsAfterLoad), fmt(r.jsvarsConnected), fmt(r.luac51), fmt(r.luac53)])));
  parts.push(`\nFleet ramp (the metrics app: a round of 4 messages per second per board; plot: ${relative(ROOT, results.plot)})\n${rampTable(results.ramp)}`);
  return parts.join("\n");
}

async function main() {
  ensureBuilds();
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  const results = {
    date: new Date().toISOString(),
    smoke,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  };
  log("host throughput: nats-mcu vs nats.js vs raw sockets");
  results.host = await hostBench({ smoke, log });
  const server = await startServer();
  try {
    log("Lua cost per operation (valgrind callgrind)");
    results.luaCost = await luaCost({ serverPort: server.port, n: smoke ? 20 : 5000, log });
    log("sizes, JsVars connected");
    results.sizes = await sizes({ serverUrl: server.url });
  } finally {
    await server.stop();
  }
  log("allocation meters");
  results.alloc = allocation(smoke ? 200 : 10000);
  log("fleet ramp");
  results.ramp = await fleetRamp({ smoke, log });
  results.plot = join(out, "ramp.svg");
  await plotRamp(results.ramp, results.plot);
  results.wallS = Math.round((Date.now() - started) / 1000);
  const file = join(out, "results.json");
  writeFileSync(file, JSON.stringify({ ...results, plot: relative(ROOT, results.plot) }, null, 2) + "\n");
  console.log(report(results));
  console.log(`\nresults: ${relative(ROOT, file)}; plot: ${relative(ROOT, results.plot)}; ${results.wallS} s`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`npm run bench: ${error.stack ?? error}`);
    process.exit(1);
  },
);
