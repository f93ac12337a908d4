// The benchmark's smoke run (npm run bench at tiny sizes) so it never rots: every part runs end to end
// and reports figures of the right shape. No timing is asserted (bench/README.md).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "../../tools/boards.js";

const OUT = join(ROOT, "build", "bench-smoke");

test("npm run bench --smoke: host, Lua cost, allocations, sizes, ramp and plot", { timeout: 600_000 }, () => {
  rmSync(OUT, { recursive: true, force: true });
  const r = spawnSync(process.execPath, ["bench/run.js", "--smoke", "--out", OUT], { cwd: ROOT, encoding: "utf8", timeout: 590_000 });
  assert.equal(r.status, 0, `bench/run.js --smoke failed:\n${r.stdout}\n${r.stderr}`);
  const results = JSON.parse(readFileSync(join(OUT, "results.json"), "utf8"));
  const positive = (x, what) => assert.ok(typeof x === "number" && Number.isFinite(x) && x > 0, `${what}: ${x}`);

  assert.deepEqual(results.host.rows.map((row) => row.test), ["publish 16 B", "publish 1 KB", "receive 16 B", "request/reply 16 B"]);
  for (const row of results.host.rows) {
    positive(row.natsMcu, `${row.test} nats-mcu msg/s`);
    positive(row.natsJs, `${row.test} nats.js msg/s`);
  }
  assert.deepEqual(results.luaCost.map((row) => `${row.lua} ${row.op}`), [
    "lua5.1 publish, 1 per loop turn", "lua5.1 publish, 10 per loop turn", "lua5.1 delivery",
    "lua5.3 publish, 1 per loop turn", "lua5.3 publish, 10 per loop turn", "lua5.3 delivery",
  ]);
  for (const row of results.luaCost) {
    positive(row.natsMcu, `${row.lua} ${row.op} instructions`);
    positive(row.floor, `${row.lua} ${row.op} floor`);
  }
  for (const [runtime, meters] of Object.entries({ ...results.alloc.lua, v8: results.alloc.v8 })) {
    for (const op of ["publish", "burstPublish", "delivery", "request", "idleTick"]) {
      const bytes = runtime === "v8" ? meters[op].bytesPerOp : meters[op];
      assert.ok(Number.isFinite(bytes) && bytes >= 0, `${runtime} ${op}: ${bytes}`);
    }
    // a publish allocates at least its op string, a delivery at least the payload handed over
    assert.ok((runtime === "v8" ? meters.publish.bytesPerOp : meters.publish) >= 20, `${runtime} publish`);
  }
  const esp32 = results.sizes.rows.filter((row) => row.board === "esp32-espruino");
  assert.deepEqual(esp32.map((row) => row.profile), ["pub", "pubsub", "full"]);
  for (const row of esp32) assert.ok(row.jsvarsConnected > row.jsvarsAfterLoad, `${row.profile}: connected ${row.jsvarsConnected} vs loaded ${row.jsvarsAfterLoad}`);
  assert.deepEqual(results.ramp.steps.map((s) => [s.runtime, s.boards, s.ok]), [["espruino", 2, true], ["nodemcu", 2, true]]);
  for (const s of results.ramp.steps) assert.equal(s.received, s.published, `${s.runtime}: every message received`);
  assert.match(readFileSync(join(OUT, "ramp.svg"), "utf8"), /^<svg[\s\S]*<\/svg>\s*$/);
});
