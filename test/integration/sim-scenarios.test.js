// The example scenarios in sim/scenarios/ run as CI would run them: `nats-mcu sim --scenario <file>
// --report out.json --junit out.xml`; each passes its own expectations (zero loss, recovery within
// maxRecoveryMs). A scenario whose expectation is missed exits 1 and names it in the report and the XML.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { ROOT } from "../../tools/boards.js";

const run = promisify(execFile);
const dir = join(ROOT, "sim", "scenarios");
const out = mkdtempSync(join(tmpdir(), "sim-scenarios-"));

async function sim(scenario, name) {
  const report = join(out, `${name}.json`);
  const junit = join(out, `${name}.xml`);
  const args = [join(ROOT, "tools/cli.js"), "sim", "--scenario", scenario, "--quiet", "--report", report, "--junit", junit];
  let code = 0;
  let stderr = "";
  try {
    await run(process.execPath, args, { cwd: ROOT });
  } catch (e) {
    ({ code, stderr } = e);
  }
  return { code, stderr, report: JSON.parse(readFileSync(report, "utf8")), junit: readFileSync(junit, "utf8") };
}

const scenarios = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

test("the five example scenarios are there", () => {
  assert.deepEqual(scenarios, ["lame-duck.json", "partition-heal.json", "rolling-restart.json", "stalled-broker.json", "wifi-and-reset.json"]);
});

for (const file of scenarios) {
  test(`scenario ${file}: passes its expectations`, async () => {
    const doc = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const { code, stderr, report, junit } = await sim(join(dir, file), file.replace(".json", ""));
    assert.equal(code, 0, `${stderr}\n${JSON.stringify(report.verdict)}`);
    assert.deepEqual(report.verdict, { pass: true, failures: [] });
    assert.equal(report.seed, doc.seed);
    assert.equal(report.cluster, doc.cluster ?? 1);
    assert.equal(report.totals.boards, doc.boards.reduce((n, b) => n + (b.count ?? 1), 0));
    assert.equal(report.totals.lost, 0);
    // heard after a reset cut a boot's last count off: received, neither published nor lost (accounting.js)
    assert.ok(report.totals.published > 0 && report.totals.received - report.totals.heardAfterLastReport === report.totals.published);
    assert.deepEqual(report.faults.map((f) => f.kind), doc.faults.map((f) => f.kind));
    for (const f of report.faults) {
      assert.deepEqual(Object.keys(f.recoveryMs).sort(), report.boards.map((b) => b.id).sort());
      assert.ok(f.maxRecoveryMs <= doc.expect.maxRecoveryMs, `${f.kind}: ${f.maxRecoveryMs} ms`);
    }
    for (const b of report.boards) assert.ok(b.memory.highWater > 0 && b.memory.highWater < b.memory.budget, `${b.id} memory`);
    assert.match(junit, /<testsuites tests="\d+" failures="0">/);
  });
}

test("a missed expectation: exit code 1, named in the report and the JUnit XML", async () => {
  const file = join(out, "too-strict.json");
  writeFileSync(
    file,
    JSON.stringify({
      boards: [{ board: "esp32-espruino" }],
      durationS: 8,
      intervalMs: 500,
      faults: [{ kind: "partition", at: 1, duration: 2 }],
      expect: { maxLoss: 0, maxRecoveryMs: 1 },
    }),
  );
  const { code, stderr, report, junit } = await sim(file, "too-strict");
  assert.equal(code, 1);
  assert.equal(report.verdict.pass, false);
  assert.match(report.verdict.failures.join("\n"), /partition at 1 s: esp32-espruino recovered in \d+ ms, more than maxRecoveryMs 1/);
  assert.match(stderr, /nats-mcu sim: FAIL/);
  assert.match(junit, /<failure message="partition at 1 s: esp32-espruino recovered in/);
});
