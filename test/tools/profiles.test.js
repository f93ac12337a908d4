// Profiles: //#if regions are kept or blanked per profile, and a profile's artifacts carry no code of a
// feature outside it (JS and Lua alike), nor the calls it lacks.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT } from "../../tools/boards.js";
import { PROFILES, applyProfile } from "../../tools/build/profiles.js";
import { testBuildPath } from "../build/build-tests.js";
import { loadBuild } from "../support/load-library.js";

test("regions of flags that are off are blanked, lines kept; !FLAG inverts; regions nest", () => {
  const text = ["a", "//#if SUBS", "b", "  //#if FULL", "  c", "  //#endif", "//#endif", "//#if !SUBS", "d", "//#endif"].join("\n");
  assert.equal(applyProfile(text, PROFILES.pub), ["a", "", "", "", "", "", "", "", "d", ""].join("\n"));
  assert.equal(applyProfile(text, PROFILES.pubsub), ["a", "", "b", "", "", "", "", "", "", ""].join("\n"));
  assert.equal(applyProfile(text, PROFILES.full), ["a", "", "b", "", "  c", "", "", "", "", ""].join("\n"));
});

test("unknown flags and unbalanced markers fail with the file and line", () => {
  assert.throws(() => applyProfile("//#if FOO\n//#endif", PROFILES.full, "x.ts"), /x\.ts:1: unknown profile flag "FOO"/);
  assert.throws(() => applyProfile("//#endif", PROFILES.full, "x.ts"), /x\.ts:1: \/\/#endif without \/\/#if/);
  assert.throws(() => applyProfile("//#if FULL\n", PROFILES.full, "x.ts"), /x\.ts: \/\/#if without \/\/#endif/);
});

const artifact = (board, profile, file) => readFileSync(join(ROOT, "build", board, profile, file), "latin1");
// Strings only the code of a feature contains: MSG parsing and SUB lines (pubsub), the inbox, HPUB, HMSG,
// lame duck and connect_urls (full).
const SUBS_CODE = ["SUB ", "UNSUB ", "MSG ", "subscribe"];
const FULL_CODE = ["_INBOX.", "HPUB ", "HMSG", "connect_urls", "ldm", "request"];

for (const [board, file] of [["esp32-espruino", "nats-mcu.js"], ["esp8266-nodemcu", "nats_mcu.lua"]]) {
  test(`${board}: no code of a feature outside the profile is emitted`, () => {
    const pub = artifact(board, "pub", file);
    const pubsub = artifact(board, "pubsub", file);
    const full = artifact(board, "full", file);
    for (const s of SUBS_CODE) {
      assert.ok(!pub.includes(s), `pub has no ${JSON.stringify(s)}`);
      assert.ok(pubsub.includes(s), `pubsub has ${JSON.stringify(s)}`);
    }
    for (const s of FULL_CODE) {
      assert.ok(!pubsub.includes(s), `pubsub has no ${JSON.stringify(s)}`);
      assert.ok(full.includes(s), `full has ${JSON.stringify(s)}`);
    }
  });
}

test("a call a profile lacks is absent from its connection", () => {
  const calls = (profile) => {
    // the profile's client test build: the same connection as the board's, on the test adapter
    const lib = loadBuild(testBuildPath("espruino", profile, "client"));
    const nc = lib.connect({ servers: "nats://127.0.0.1:1" });
    return Object.keys(nc).filter((k) => typeof nc[k] === "function").sort();
  };
  const pub = ["close", "lastError", "onStatus", "publish", "status"];
  assert.deepEqual(calls("pub"), pub);
  assert.deepEqual(calls("pubsub"), [...pub, "subscribe", "unsubscribe"].sort());
  assert.deepEqual(calls("full"), [...pub, "subscribe", "unsubscribe", "hpublish", "request", "flush", "drain", "stats"].sort());
});
