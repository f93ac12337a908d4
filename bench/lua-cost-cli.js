#!/usr/bin/env node
// Runs bench/lua-cost.js alone (instructions per publish and per delivery of the Lua test build under
// valgrind's callgrind, against the bare LuaSocket floor, one nats-server) and prints the table. Counts
// are deterministic, so a busy machine changes nothing but the wall time.
// Run: node bench/lua-cost-cli.js [--n N] [--json]   (N operations per run; bench/run.js uses 5000)
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { testBuildPath } from "../test/build/build-tests.js";
import { startServer } from "../sim/server/nats-server.js";
import { luaCost } from "./lua-cost.js";

let values;
try {
  ({ values } = parseArgs({ options: { n: { type: "string", default: "5000" }, json: { type: "boolean" } } }));
} catch (error) {
  console.error(`${error.message}\nusage: node bench/lua-cost-cli.js [--n N] [--json]`);
  process.exit(2);
}
const n = Number(values.n);
if (!Number.isInteger(n) || n < 1) {
  console.error(`--n wants a whole number of operations, not ${values.n}`);
  process.exit(2);
}
if (!existsSync(testBuildPath("nodemcu", "pubsub", "client"))) {
  console.error("no Lua test build: run node test/build/build-tests.js first");
  process.exit(2);
}

const server = await startServer();
try {
  const rows = await luaCost({ serverPort: server.port, n, log: values.json === true ? () => {} : console.error });
  if (values.json === true) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    const fmt = (x, d = 0) => x.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });
    const lines = [["lua", "operation", "nats-mcu", "floor", "ratio", "target"]].concat(
      rows.map((r) => [r.lua, r.op, fmt(r.natsMcu), fmt(r.floor), fmt(r.ratio, 2), r.target === null ? "-" : `<= ${r.target}${r.ratio <= r.target ? " met" : " NOT met"}`]),
    );
    const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
    console.log(lines.map((l) => l.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")).join("\n"));
  }
} catch (error) {
  console.error(error.stack ?? error);
  process.exitCode = 1;
} finally {
  await server.stop();
}
