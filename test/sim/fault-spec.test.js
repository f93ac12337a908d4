// Fault definitions (sim/fault-spec.js): `--fault` flags parsed, defaults filled in, every bad field named.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkFaults, matchBoards, parseFaultFlag } from "../../sim/fault-spec.js";

const ids = ["esp32-espruino", "esp32-espruino-2", "esp8266-nodemcu"];

test("flags: kind@at[:duration][,key=value], boards joined by +", () => {
  assert.deepEqual(parseFaultFlag("partition@5:4,boards=esp32-*+esp8266-nodemcu"), { kind: "partition", at: 5, duration: 4, boards: ["esp32-*", "esp8266-nodemcu"] });
  assert.deepEqual(parseFaultFlag("kill@2.5,node=1"), { kind: "kill", at: 2.5, node: 1 });
  assert.deepEqual(parseFaultFlag("latency@1:2,ms=300"), { kind: "latency", at: 1, duration: 2, ms: 300 });
  assert.throws(() => parseFaultFlag("partition"), /expected <kind>@<seconds>/);
  assert.throws(() => parseFaultFlag("kill@1,node"), /"node" is not key=value/);
});

test("defaults are filled in and faults come in start order", () => {
  const faults = checkFaults([{ kind: "stall", at: 6, duration: 1 }, { kind: "fragment", at: 1, duration: 2 }, { kind: "kill", at: 3 }, { kind: "ldm", at: 4, node: 2 }], { durationS: 10, nodes: 3, ids });
  assert.deepEqual(faults, [
    { kind: "fragment", at: 1, duration: 2, bytes: 1 },
    { kind: "kill", at: 3, duration: 1, node: 0 },
    { kind: "ldm", at: 4, node: 2, duration: 2 },
    { kind: "stall", at: 6, duration: 1 },
  ]);
  assert.deepEqual(matchBoards(["esp32-*"], ids), ["esp32-espruino", "esp32-espruino-2"]);
});

test("every bad field is named, for files and for flags", () => {
  const run = { durationS: 10, nodes: 1, embedded: false, ids };
  assert.throws(
    () => checkFaults([{ kind: "partition", at: 9, duration: 3, boards: ["nope*"], node: 0 }, { kind: "restart", at: -1, colour: 1 }, { kind: "latency", at: 1, duration: 1, ms: 0, bytes: 2 }, { kind: "melt", at: 1 }, 7], run),
    (e) => {
      for (const line of [
        "faults[0]: ends at 12 s, not before the run ends (10 s)",
        "faults[0].node: only broker faults take a node",
        "faults[0].boards: matches no board of the fleet",
        "faults[1].colour: is not a known field",
        "faults[1].at: is required, seconds (>= 0) from the start",
        "faults[1].kind: restart needs the embedded broker (not --server)",
        "faults[2].ms: must be an integer >= 1",
        "faults[2].bytes: only fragment takes bytes",
        "faults[3].kind: must be one of partition, latency, bandwidth, fragment, restart, kill, ldm, stall",
        "faults[4]: must be an object",
      ]) assert.ok(e.message.includes(line), `${line}\nin\n${e.message}`);
      return true;
    },
  );
  assert.throws(() => checkFaults([{ kind: "partition", at: 1 }], { durationS: 10, ids }, () => "--fault partition@1"), /--fault partition@1: duration: is required for partition, seconds > 0/);
  assert.throws(() => checkFaults([{ kind: "kill", at: 1, node: 3 }], { durationS: 10, nodes: 3, ids }), /faults\[0\]\.node: must be a node index from 0 to 2/);
});

test("board faults: wifi (a duration required) and reset (0 s by default) take boards, not nodes; they work with --server", () => {
  assert.deepEqual(parseFaultFlag("wifi@3:2,boards=esp32*"), { kind: "wifi", at: 3, duration: 2, boards: ["esp32*"] });
  const run = { durationS: 10, nodes: 1, embedded: false, ids };
  assert.deepEqual(checkFaults([parseFaultFlag("reset@5,boards=esp32-espruino-2"), parseFaultFlag("wifi@3:2,boards=esp32*")], run), [
    { kind: "wifi", at: 3, duration: 2, boards: ["esp32*"] },
    { kind: "reset", at: 5, duration: 0, boards: ["esp32-espruino-2"] },
  ]);
  assert.throws(
    () => checkFaults([{ kind: "wifi", at: 1 }, { kind: "reset", at: 2, node: 0 }, { kind: "stall", at: 1, duration: 1, boards: ["esp32*"] }], { ...run, embedded: true }),
    (e) => {
      for (const line of ["faults[0].duration: is required for wifi, seconds > 0", "faults[1].node: only broker faults take a node", "faults[2].boards: only network and board faults take boards"]) {
        assert.ok(e.message.includes(line), `${line}\nin\n${e.message}`);
      }
      return true;
    },
  );
});
