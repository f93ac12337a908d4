// `nats-mcu sim` without a TTY (its stdout a pipe, as in CI): the live view prints a line every 2 s with
// the boards' states, totals and rates, and lines when a fault starts and ends; the counts are real (they
// grow, and the last line agrees with the summary); --quiet prints only the summary.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { ROOT } from "../../tools/boards.js";

const run = promisify(execFile);
const cli = (...args) => run(process.execPath, [join(ROOT, "tools/cli.js"), "sim", "--board", "esp32-espruino", "--board", "esp8266-nodemcu", "--interval", "250", ...args], { cwd: ROOT });
const LINE = /^\[(\d+\.\d) s\] boards 2 \(([^)]*)\) published (\d+) received (\d+) dropped (\d+) reconnects (\d+) rate (\d+\.\d)\/(\d+\.\d) msg\/s out\/in(?: faults active: (.*))?$/;

test("without a TTY: periodic lines with growing counts, fault start and end lines, the last line matching the summary", async () => {
  const { stdout } = await cli("--duration", "8", "--fault", "partition@2.125:2.5,boards=esp32*");
  const lines = stdout.split("\n");
  const periodic = lines.map((l) => LINE.exec(l)).filter(Boolean);
  // 2 s apart from the boot to the end of the run, plus the last one
  assert.ok(periodic.length >= 4, stdout);
  const times = periodic.map((m) => Number(m[1]));
  const received = periodic.map((m) => Number(m[4]));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), "time goes forward");
  assert.deepEqual(received, [...received].sort((a, b) => a - b), "received never goes down");
  assert.ok(received.at(-1) > received[0], `received grows: ${received.join(", ")}`);
  // two boards, 4 messages each 250 ms: about 32 msg/s, well above 8 and not above 48 over a steady interval
  const steady = periodic.at(-2);
  assert.ok(Number(steady[8]) > 8 && Number(steady[8]) <= 48, steady[0]);
  assert.ok(periodic.some((m) => m[9] === "partition (board esp32-espruino)" && /reconnecting/.test(m[2])), "the partition is shown active while the board reconnects");
  const start = lines.findIndex((l) => l === "fault: partition of 1 board(s) at 2.125 s for 2.5 s");
  const end = lines.findIndex((l) => /^fault: partition of 1 board\(s\) over at 4\.\d s$/.test(l));
  assert.ok(start > 0 && end > start, stdout);
  const last = periodic.at(-1);
  assert.equal(last[2], "2 connected");
  assert.ok(Number(last[6]) >= 1, "the partitioned board reconnected");
  // the summary's per-board counts add up to the last line's totals
  const rows = lines.filter((l) => /^esp\S+\s+(espruino|nodemcu)\s/.test(l)).map((l) => l.trim().split(/\s+/));
  assert.equal(rows.length, 2, stdout);
  const sum = (i) => rows.reduce((a, r) => a + Number(r[i]), 0);
  assert.equal(Number(last[3]), sum(3), "published: the boards' own counts");
  assert.equal(Number(last[4]), sum(4), "received by the peer");
  assert.match(stdout, /^verdict: pass/m);
});

test("--quiet: the summary only", async () => {
  const { stdout } = await cli("--duration", "2", "--quiet");
  assert.doesNotMatch(stdout, /^\[\d/m);
  assert.doesNotMatch(stdout, /embedded nats-server/);
  assert.match(stdout, /^board\s+runtime/);
  assert.match(stdout, /^verdict: pass/m);
});
