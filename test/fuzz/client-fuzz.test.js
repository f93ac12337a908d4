// A bounded run of the client fuzzer (test/fuzz/client.fuzz.js) in npm test: 1,000 cases per profile with
// a fixed seed, and 1,000 per profile with a seed of this run (printed, so a failure can be replayed with
// npm run fuzz -- <cases> <seed>). npm run fuzz runs a million.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzBadInputs, fuzzClient } from "./client.fuzz.js";

test("client fuzz, fixed seed: nothing throws, writes stay well-formed and bounded", () => {
  assert.equal(fuzzClient(1000, 20261206), 3000);
});

test("every bad input ends in its protocol error and a reconnect", () => {
  assert.equal(fuzzBadInputs(1000, 20261206), 3000);
});

test("client fuzz, this run's seed", () => {
  const seed = Date.now() % 2147483647;
  console.log(`# client fuzz seed ${seed}`);
  assert.equal(fuzzClient(1000, seed), 3000);
});
