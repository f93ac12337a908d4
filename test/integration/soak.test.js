// A short soak in npm test (npm run soak runs a million): 50,000 messages published and received back
// through one board per runtime against nats-server; memory at every quiescent point after warm-up is
// exactly what it was (JsVars in use on Espruino, free heap on NodeMCU).
import assert from "node:assert/strict";
import { test } from "node:test";
import { runSoak } from "../soak/soak.js";

for (const runtime of ["espruino", "nodemcu"]) {
  test(`${runtime}: 50,000 messages each way, memory flat after warm-up`, async () => {
    const r = await runSoak(runtime, 50000);
    console.log(`# ${r.board}: ${r.samples.map((s) => s[1]).join(" ")} (${runtime === "espruino" ? "JsVars in use" : "B free"}) in ${r.seconds.toFixed(1)} s`);
    assert.deepEqual(r.broken, []);
    assert.ok(r.done, "every message came back");
    assert.equal(r.samples.length, 5, "a sample every 10,000 messages");
    assert.equal(r.spread, 0, `memory moved by ${r.spread} after warm-up`);
  });
}
