// The simulation report (sim/report.js) and its JUnit form: counters per board and in total, recovery per
// fault and board from the peer's arrival times, memory high-water from the lowest free memory reported,
// and a verdict against maxLoss / maxRecoveryMs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { junitXml } from "../../sim/junit.js";
import { buildReport } from "../../sim/report.js";
import { loadBoards } from "../../tools/boards.js";

const catalogue = loadBoards();
const row = (board, runtime, extra) => ({ board, runtime, published: 10, received: 10, refused: 0, errors: 0, crashes: 0, statusErrors: 0, reconnects: 1, minFree: 1000, ping: "ok", ...extra });
const run = { seed: 9, durationS: 10, cluster: 1, boards: [{ id: "a", name: "esp32-espruino" }, { id: "b", name: "esp8266-nodemcu" }] };
const result = (rows, arrivalsB = [1000, 5200]) => ({
  serverUrl: "nats://127.0.0.1:4222",
  t0: 1000,
  rows,
  faults: [{ kind: "partition", at: 1, duration: 2, boards: ["a"], startMs: 1000, endMs: 3000 }],
  arrivals: new Map([["a", [1500, 4250, 4300]], ["b", arrivalsB]]),
});

test("counters, recovery per board and fault, memory high-water, a passing verdict", () => {
  const r = buildReport(result([row("a", "espruino"), row("b", "nodemcu", { published: 12, received: 12, refused: 2 })]), run, { maxRecoveryMs: 2000 }, catalogue);
  assert.equal(r.seed, 9);
  assert.deepEqual(r.totals, { boards: 2, published: 22, received: 22, lost: 0, dropped: 2, reconnects: 2, crashes: 0, boots: 2, heardAfterLastReport: 0 });
  assert.deepEqual(r.faults[0].recoveryMs, { a: 250, b: 1200 });
  assert.equal(r.faults[0].maxRecoveryMs, 1200);
  assert.deepEqual(r.boards[0].memory, { unit: "jsvars", budget: catalogue["esp32-espruino"].memory.budget, minFree: 1000, highWater: catalogue["esp32-espruino"].memory.budget - 1000 });
  assert.deepEqual(r.verdict, { pass: true, failures: [] });
  assert.match(junitXml(r), /<testsuites tests="4" failures="0">/);
});

test("loss over maxLoss, a slow recovery, a board never heard again, a crash: failures named, JUnit failures", () => {
  const r = buildReport(result([row("a", "espruino", { received: 8, crashes: 1 }), row("b", "nodemcu")], [1000]), run, { maxLoss: 1, maxRecoveryMs: 200 }, catalogue);
  assert.equal(r.totals.lost, 2);
  assert.deepEqual(r.verdict.failures, [
    "a: crashed 1 time(s)",
    "lost 2 message(s), more than maxLoss 1",
    "partition at 1 s: a recovered in 250 ms, more than maxRecoveryMs 200",
    "partition at 1 s: b was not heard from after it",
  ]);
  assert.equal(r.verdict.pass, false);
  const xml = junitXml(r);
  assert.match(xml, /<testsuites tests="4" failures="4">/);
  assert.match(xml, /<testcase classname="nats-mcu.sim" name="board a"><failure message="a: crashed 1 time\(s\)">/);
});

test("with no fault scripted, client errors fail the verdict; maxLoss defaults to 0", () => {
  const r = buildReport({ ...result([row("a", "espruino", { statusErrors: 1, received: 9 }), row("b", "nodemcu")]), faults: [] }, run, {}, catalogue);
  assert.deepEqual(r.verdict.failures, ["a: 1 client error(s) with no fault scripted", "lost 1 message(s), more than maxLoss 0"]);
});

test("a reset board: accounted per boot (lost from the rows' own accounting), boots and the cut-off tail in the report", () => {
  // "a" was reset once: 30 published over two boots, 32 heard, 2 of them after its first boot's last count
  const rows = [row("a", "espruino", { published: 30, received: 32, lost: 0, tail: 2, boots: 2 }), row("b", "nodemcu")];
  const r = buildReport(result(rows), run, {}, catalogue);
  assert.deepEqual([r.boards[0].lost, r.boards[0].boots, r.boards[0].heardAfterLastReport], [0, 2, 2]);
  assert.deepEqual([r.totals.published, r.totals.received, r.totals.lost, r.totals.boots, r.totals.heardAfterLastReport], [40, 42, 0, 3, 2]);
  assert.equal(r.verdict.pass, true);
  // a loss before the reset is not hidden by the tail
  const lossy = buildReport(result([row("a", "espruino", { published: 30, received: 32, lost: 3, tail: 2, boots: 2 }), row("b", "nodemcu")]), run, {}, catalogue);
  assert.deepEqual(lossy.verdict.failures, ["lost 3 message(s), more than maxLoss 0"]);
});
