// The live view of `nats-mcu sim` (sim/live-view.js): totals, rates, fault phases, the TTY block (per board,
// per board type above the group threshold) and the plain periodic line, from stats snapshots; and the
// monitor (sim/live-monitor.js) without a TTY: a line per period, the simulation's lines in between.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createLiveMonitor } from "../../sim/live-monitor.js";
import { faultPhase, faultTimeline, liveLines, plainLine, ratesOf, totalsOf } from "../../sim/live-view.js";

const board = (id, name, runtime, extra) => ({ id, name, runtime, state: "connected", published: 30, received: 30, dropped: 0, reconnects: 0, free: 1200, ...extra });
const fleet = (extra = {}) => [
  board("esp32-espruino", "esp32-espruino", "espruino", extra.a),
  board("esp8266-nodemcu", "esp8266-nodemcu", "nodemcu", { free: 21000, ...extra.b }),
];
const partition = { kind: "partition", at: 2, duration: 3, boards: ["esp32-espruino"] };

test("totals count each state and sum the counters", () => {
  const t = totalsOf({ elapsedMs: 4000, boards: fleet({ a: { state: "reconnecting", dropped: 2, reconnects: 1 }, b: { published: undefined } }), faults: [] });
  assert.deepEqual(t, { boards: 2, states: { connecting: 0, connected: 1, reconnecting: 1, down: 0 }, published: 30, received: 60, dropped: 2, reconnects: 1 });
});

test("rates are msg/s between two snapshots, or since the start without one", () => {
  const prev = { elapsedMs: 2000, boards: fleet({ a: { published: 10, received: 10 }, b: { published: 10, received: 8 } }), faults: [] };
  const now = { elapsedMs: 4000, boards: fleet(), faults: [] };
  assert.deepEqual(ratesOf(now, prev), { published: 20, received: 21 });
  assert.deepEqual(ratesOf(now), { published: 15, received: 15 });
  assert.deepEqual(ratesOf({ ...now, elapsedMs: 0 }), { published: 0, received: 0 });
});

test("a fault is pending, then active from its start, then over from its end", () => {
  assert.equal(faultPhase(partition, 1000), "pending");
  assert.equal(faultPhase({ ...partition, startMs: 2003 }, 2500), "active");
  assert.equal(faultPhase({ ...partition, startMs: 2003, endMs: 5010 }, 5010), "over");
  const lines = faultTimeline({
    elapsedMs: 6000,
    boards: [],
    faults: [{ ...partition, startMs: 2003, endMs: 5010 }, { kind: "restart", at: 5.5, duration: 1, nodes: [0], startMs: 5500 }, { kind: "stall", at: 8, duration: 1 }],
  });
  assert.deepEqual(lines, ["✓ partition (board esp32-espruino) over, 2.0 s – 5.0 s", "▶ restart (broker) active, since 5.5 s", "· stall (broker) pending, due at 8 s for 1 s"]);
});

test("the TTY block: totals and rates, a row per board with its state and memory unit, the fault timeline", () => {
  const prev = { elapsedMs: 2000, boards: fleet({ a: { published: 20, received: 20 }, b: { published: 20, received: 20 } }), faults: [partition] };
  const snap = { elapsedMs: 4000, boards: fleet({ a: { state: "reconnecting", reconnects: 1 }, b: { dropped: 3 } }), faults: [{ ...partition, startMs: 2001 }] };
  const lines = liveLines(snap, prev);
  assert.equal(lines[0], "nats-mcu sim  4.0 s  boards 2: 1 connected, 1 reconnecting");
  assert.equal(lines[1], "published 60  received 60  dropped 3  reconnects 1  rate 10.0 msg/s out, 10.0 msg/s in");
  assert.match(lines[3], /^board\s+state\s+published\s+received\s+dropped\s+reconnects\s+free$/);
  assert.match(lines[4], /^esp32-espruino\s+reconnecting\s+30\s+30\s+0\s+1\s+1200 vars$/);
  assert.match(lines[5], /^esp8266-nodemcu\s+connected\s+30\s+30\s+3\s+0\s+21000 B$/);
  assert.deepEqual(lines.slice(-2), ["faults:", "  ▶ partition (board esp32-espruino) active, since 2.0 s"]);
});

test("above the group threshold the block has one row per board type, states counted, lowest free memory", () => {
  const boards = [
    ...Array.from({ length: 3 }, (_, i) => board(`e-${i}`, "esp32-espruino", "espruino", { free: 1000 + i, state: i === 0 ? "down" : "connected" })),
    ...Array.from({ length: 2 }, (_, i) => board(`n-${i}`, "esp8266-nodemcu", "nodemcu", { free: 20000 - i, published: undefined })),
  ];
  const lines = liveLines({ elapsedMs: 3000, boards, faults: [] }, undefined, { groupAbove: 4 });
  assert.match(lines[3], /^board type\s+boards \(state\)\s+published\s+received\s+dropped\s+reconnects\s+lowest free$/);
  assert.match(lines[4], /^esp32-espruino\s+3 \(2 connected, 1 down\)\s+90\s+90\s+0\s+0\s+1000 vars$/);
  assert.match(lines[5], /^esp8266-nodemcu\s+2 \(2 connected\)\s+0\s+60\s+0\s+0\s+19999 B$/);
  assert.equal(lines.length, 6, "no fault section without faults");
});

test("the plain line: time, states, totals, rates, active faults", () => {
  const prev = { elapsedMs: 2000, boards: fleet({ a: { published: 24, received: 24 }, b: { published: 24, received: 24 } }), faults: [] };
  const snap = { elapsedMs: 4000, boards: fleet({ a: { state: "reconnecting" } }), faults: [{ ...partition, startMs: 2001 }, { kind: "stall", at: 9, duration: 1 }] };
  assert.equal(
    plainLine(snap, prev),
    "[4.0 s] boards 2 (1 connected, 1 reconnecting) published 60 received 60 dropped 0 reconnects 0 rate 6.0/6.0 msg/s out/in faults active: partition (board esp32-espruino)",
  );
  assert.doesNotMatch(plainLine({ ...snap, faults: [] }, prev), /faults/);
});

test("the monitor without a TTY: a plain line each period, lines logged in between, a last line with the run's rates", async () => {
  const out = [];
  let elapsedMs = 0;
  let received = 0;
  const monitor = createLiveMonitor({ tty: false, write: (line) => out.push(line), everyMs: 40 });
  monitor.log("before the start");
  monitor.start(() => ({ elapsedMs, boards: fleet({ a: { received, published: received }, b: { received: 0, published: 0 } }), faults: [] }));
  for (let i = 0; i < 5; i++) {
    elapsedMs += 1000;
    received += 10;
    await new Promise((resolve) => setTimeout(resolve, 40));
    if (i === 2) monitor.log("fault: partition of 1 board(s) at 3 s for 1 s");
  }
  monitor.stop();
  monitor.stop();
  const periodic = out.filter((l) => l.startsWith("["));
  assert.equal(out[0], "before the start");
  assert.ok(periodic.length >= 3, out.join("\n"));
  assert.ok(out.includes("fault: partition of 1 board(s) at 3 s for 1 s"));
  const counts = periodic.map((l) => Number(/received (\d+)/.exec(l)[1]));
  assert.deepEqual(counts, [...counts].sort((a, b) => a - b), "received never goes down");
  assert.equal(periodic.at(-1), `[${(elapsedMs / 1000).toFixed(1)} s] boards 2 (2 connected) published 50 received 50 dropped 0 reconnects 0 rate 10.0/10.0 msg/s out/in`);
});
