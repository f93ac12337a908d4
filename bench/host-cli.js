#!/usr/bin/env node
// Runs bench/host.js (host throughput of the JS build against nats.js and a raw socket, one nats-server)
// and prints the table. Run: node bench/host-cli.js [--smoke] [--json] [--build file]
//   --smoke       tiny counts: proves every measure works end to end (the rates mean nothing)
//   --json        the result as JSON instead of the table
//   --build file  measure this JS build instead of build/test/espruino-full/client.js (for a profiler,
//                 a copy built without name mangling)
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { hostBench } from "./host.js";

let values;
try {
  ({ values } = parseArgs({ options: { smoke: { type: "boolean" }, json: { type: "boolean" }, build: { type: "string" } } }));
} catch (error) {
  console.error(`${error.message}\nusage: node bench/host-cli.js [--smoke] [--json] [--build file]`);
  process.exit(2);
}
const json = values.json === true;

const count = (v) => (v === null ? "-" : v.toLocaleString("en"));
const times = (v) => (v === null ? "-" : `${v.toFixed(2)}x`);

function table(rows, smoke) {
  const header = ["test", "n", "nats-mcu msg/s", "nats.js msg/s", "raw msg/s", "nats-mcu/nats.js", "target", "raw/nats.js", "CPU ns/msg mcu / js / raw", "CPU ratio"];
  const lines = rows.map((r) => [
    r.test,
    count(r.n),
    count(r.natsMcu),
    count(r.natsJs),
    count(r.raw),
    times(r.ratio),
    r.target === null ? "-" : `>= ${r.target}x${smoke ? "" : r.ratio >= r.target ? " met" : " MISSED"}`,
    r.raw === null ? "-" : times(r.raw / r.natsJs),
    [r.cpuNsPerMsg.natsMcu, r.cpuNsPerMsg.natsJs, r.cpuNsPerMsg.raw].map((v) => (v === null ? "-" : String(v))).join(" / "),
    times(r.cpuRatio),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [row(header), ...lines.map(row)].join("\n");
}

try {
  const build = values.build === undefined ? undefined : resolve(values.build);
  const result = await hostBench({ smoke: values.smoke === true, log: json ? () => {} : console.log, build });
  console.log(json ? JSON.stringify(result, null, 2) : `\n${table(result.rows, values.smoke === true)}`);
} catch (error) {
  console.error(error.stack ?? error);
  process.exitCode = 1;
}
