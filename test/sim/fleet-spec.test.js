// Fleet definitions: `--board <name>[:count]` flags and fleet files, validated with errors naming the bad
// field, expanded to boards with distinct ids; the default fleet has boards of both runtimes.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadBoards } from "../../tools/boards.js";
import { defaultFleet, expandFleet, loadFleetFile, parseBoardFlags, validateFleet } from "../../sim/fleet-spec.js";
import { simSettings } from "../../sim/sim-command.js";

const catalogue = loadBoards();
const tmpFile = (text) => {
  const file = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(file, text);
  return file;
};

test("--board name:count expands to distinct ids in order", () => {
  const doc = parseBoardFlags(["esp32-espruino:3", "esp8266-nodemcu", "esp32-espruino"], catalogue);
  assert.deepEqual(
    expandFleet(doc).map((b) => b.id),
    ["esp32-espruino", "esp32-espruino-2", "esp32-espruino-3", "esp8266-nodemcu", "esp32-espruino-4"],
  );
  assert.ok(expandFleet(doc).every((b) => b.app === "metrics" && b.intervalMs === 1000));
});

test("bad --board values are named with the bad part", () => {
  assert.throws(
    () => parseBoardFlags(["nope:2", "esp32-espruino:0", "esp8266-nodemcu:x"], catalogue),
    (e) =>
      e.message.includes('--board nope:2: board: unknown board "nope"') &&
      e.message.includes("--board esp32-espruino:0: count: must be an integer >= 1") &&
      e.message.includes("--board esp8266-nodemcu:x: count: must be an integer >= 1"),
  );
});

test("a fleet file: per-entry interval and profile, durationS and seed", () => {
  const file = tmpFile(JSON.stringify({ boards: [{ board: "esp32-nodemcu", count: 2, intervalMs: 250, profile: "full" }, { board: "esp8266-espruino" }], durationS: 4, seed: 7 }));
  const s = simSettings({ fleet: file, board: [] }, catalogue);
  assert.equal(s.durationS, 4);
  assert.equal(s.seed, 7);
  assert.deepEqual(s.boards, [
    { name: "esp32-nodemcu", id: "esp32-nodemcu", app: "metrics", profile: "full", intervalMs: 250 },
    { name: "esp32-nodemcu", id: "esp32-nodemcu-2", app: "metrics", profile: "full", intervalMs: 250 },
    { name: "esp8266-espruino", id: "esp8266-espruino", app: "metrics", profile: undefined, intervalMs: 1000 },
  ]);
  // flags win over the file
  assert.equal(simSettings({ fleet: file, board: [], duration: "2", seed: "3" }, catalogue).durationS, 2);
  assert.equal(simSettings({ fleet: file, board: [], seed: "3" }, catalogue).seed, 3);
});

test("every bad field of a fleet file is named", () => {
  const problems = validateFleet(
    {
      boards: [
        { board: "esp32-espruino", count: 1.5, app: "probe", intervalMs: 5, profile: "pub", colour: "red" },
        { count: 2 },
        { board: "esp8266-nodemcu", profile: "huge", payloadBytes: 64, options: { pingInterval: 1000 } },
        "esp32-nodemcu",
      ],
      durationS: 0,
      seed: -1,
      extra: true,
    },
    catalogue,
  );
  assert.deepEqual(problems.sort(), [
    "boards[0].app: must be one of \"metrics\"",
    "boards[0].colour: is not a known field (known: board, count, app, intervalMs, profile, payloadBytes, options)",
    "boards[0].count: must be an integer >= 1",
    "boards[0].intervalMs: must be an integer >= 10 (ms)",
    "boards[0].profile: \"pub\" lacks what the probe app needs; at least \"full\"",
    "boards[1].board: is required, a board name from boards.json",
    "boards[2].profile: must be one of \"pub\", \"pubsub\", \"full\"",
    "boards[3]: must be an object { board, count }",
    "durationS: must be a positive number of seconds",
    "extra: is not a known field (known: boards, durationS, seed)",
    "seed: must be a non-negative integer",
  ]);
  assert.deepEqual(validateFleet({ boards: [] }, catalogue), ["boards: must be a non-empty list of { board, count }"]);
});

test("loading a bad fleet file names the file and the fields; broken JSON names the file", () => {
  const file = tmpFile(JSON.stringify({ boards: [{ board: "esp32-espruino", count: 0 }] }));
  assert.throws(() => loadFleetFile(file, catalogue), (e) => e.message.startsWith(`${file} is invalid`) && e.message.includes("boards[0].count: must be an integer >= 1"));
  const broken = tmpFile("{ boards: ");
  assert.throws(() => loadFleetFile(broken, catalogue), (e) => e.message.startsWith(`${broken}: `));
  assert.throws(() => simSettings({ fleet: file, board: ["esp32-espruino"] }, catalogue), /--fleet and --board/);
});

test("the default fleet is every board of boards.json, of both runtimes", () => {
  const boards = expandFleet(defaultFleet(catalogue));
  assert.deepEqual(boards.map((b) => b.name), Object.keys(catalogue));
  assert.deepEqual(new Set(boards.map((b) => catalogue[b.name].runtime)), new Set(["espruino", "nodemcu"]));
  assert.equal(new Set(boards.map((b) => b.id)).size, boards.length);
});

test("payloadBytes and client options: validated field by field, passed through to each board's entry", () => {
  const problems = validateFleet(
    {
      boards: [
        { board: "esp8266-espruino", payloadBytes: 0, options: { pingInterval: -1, servers: "nats://x", colour: 1, echo: "no", maxReconnectAttempts: -2, maxPingsOut: 0, user: 5 } },
        { board: "esp8266-espruino", payloadBytes: catalogue["esp8266-espruino"].client.maxPayloadBytes + 1, options: [] },
        { board: "esp32-nodemcu", payloadBytes: 1.5, options: null },
      ],
    },
    catalogue,
  );
  const max = catalogue["esp8266-espruino"].client.maxPayloadBytes;
  assert.deepEqual(problems.sort(), [
    "boards[0].options.colour: is not a client option (known: user, pass, token, echo, reconnect, noRandomize, ignoreDiscovered, pingInterval, maxPingsOut, timeout, reconnectWait, reconnectJitter, maxReconnectWait, maxReconnectAttempts, maxPayload, outBuffer, maxSubs, maxServers, maxRequests, seed)",
    "boards[0].options.echo: must be a boolean",
    "boards[0].options.maxPingsOut: must be an integer >= 1 (count)",
    "boards[0].options.maxReconnectAttempts: must be an integer >= -1 (-1: forever)",
    "boards[0].options.pingInterval: must be an integer >= 0 (ms)",
    "boards[0].options.servers: is set by the simulator (each board's own server list and name)",
    "boards[0].options.user: must be a string",
    "boards[0].payloadBytes: must be an integer >= 1",
    "boards[1].options: must be an object of client options",
    `boards[1].payloadBytes: ${max + 1} is over esp8266-espruino's maxPayloadBytes (${max})`,
    "boards[2].options: must be an object of client options",
    "boards[2].payloadBytes: must be an integer >= 1",
  ]);
  const doc = { boards: [{ board: "esp32-nodemcu", count: 2, payloadBytes: 64, options: { pingInterval: 500, reconnect: true } }, { board: "esp32-espruino" }] };
  assert.deepEqual(validateFleet(doc, catalogue), []);
  const boards = expandFleet(doc);
  assert.deepEqual(boards.map((b) => [b.id, b.payloadBytes, b.options]), [
    ["esp32-nodemcu", 64, { pingInterval: 500, reconnect: true }],
    ["esp32-nodemcu-2", 64, { pingInterval: 500, reconnect: true }],
    ["esp32-espruino", undefined, undefined],
  ]);
  assert.notEqual(boards[0].options, boards[1].options, "each board its own options object");
});
