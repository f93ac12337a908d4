#!/usr/bin/env node
// npm run soak [-- messages]: 1,000,000 messages published and 1,000,000 received back through one
// simulated board per runtime against nats-server; prints memory at quiescent points and the throughput.
import { runSoak } from "./soak.js";

const n = Number(process.argv[2] ?? 1000000);
let failed = false;
for (const runtime of ["espruino", "nodemcu"]) {
  const r = await runSoak(runtime, n);
  const unit = runtime === "espruino" ? "JsVars in use" : "B heap free";
  console.log(`${r.board}: ${r.messages} published and received in ${r.seconds.toFixed(1)} s (${Math.round((2 * r.messages) / r.seconds)} msg/s both ways)`);
  console.log(`  ${unit} at quiescent points: first ${r.samples[0]?.[1]}, then ${r.samples.slice(1).map((s) => s[1]).join(" ")}`);
  console.log(`  spread after warm-up: ${r.spread}; broken: ${r.broken.length === 0 ? "none" : r.broken.join("; ")}; done: ${r.done}`);
  if (!r.done || r.broken.length > 0 || r.spread > 0) failed = true;
}
process.exit(failed ? 1 : 0);
