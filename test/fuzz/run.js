#!/usr/bin/env node
// npm run fuzz [-- <cases per profile> [seed]]: the client fuzzer on the JS test builds (default 333,334
// cases per profile, over a million in all) and on the Lua test builds under lua5.1 and lua5.3; prints
// the count and the throughput of each.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../tools/boards.js";
import { buildTestLibraries } from "../build/build-tests.js";
import { writeLuaCases } from "../lua/write-cases.js";
import { fuzzBadInputs, fuzzClient } from "./client.fuzz.js";

const perProfile = Number(process.argv[2] ?? 333334);
const seed = Number(process.argv[3] ?? Date.now() % 2147483647);
await buildTestLibraries();
// a copy of the test builds: a long run is not disturbed by a rebuild meanwhile
const builds = mkdtempSync(join(tmpdir(), "nats-mcu-fuzz-"));
cpSync(join(ROOT, "build", "test"), builds, { recursive: true });
writeLuaCases(join(builds, "cases.lua")); // the fixtures' wires, which the Lua fuzzer mutates
console.log(`seed ${seed}, ${perProfile} cases per profile, builds copied to ${builds}`);
const t0 = Date.now();
const n = fuzzClient(perProfile, seed, builds);
const s = (Date.now() - t0) / 1000;
console.log(`JS: ${n} cases in ${s.toFixed(1)} s (${Math.round(n / s)} cases/s), no failure`);
const bad = fuzzBadInputs(Math.max(1, Math.floor(perProfile / 10)), seed, builds);
console.log(`JS: ${bad} bad inputs, each a protocol error and a reconnect`);
for (const lua of ["lua5.1", "lua5.3"]) {
  const t = Date.now();
  const r = spawnSync(lua, [join(ROOT, "test", "fuzz", "client_fuzz.lua"), builds, String(perProfile), String(seed)], { cwd: ROOT, encoding: "latin1", stdio: ["ignore", "pipe", "inherit"] });
  process.stdout.write(r.stdout);
  if (r.status !== 0) process.exit(1);
  console.log(`${lua}: done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
