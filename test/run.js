#!/usr/bin/env node
// `npm test`: lint, type-check, build every board, then the node tests (JS builds) and the busted
// specs (Lua builds under lua5.1 and lua5.3). Ends with one line summing every runner:
// "N passed, N failed[, N skipped]", and exits non-zero if anything failed.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT, loadBoards } from "../tools/boards.js";
import { writeLuaCases } from "./lua/write-cases.js";

const APT = "apt-get install -y nats-server lua5.1 lua5.3 lua-socket lua-busted valgrind luarocks";
const TOOLS = ["nats-server", "lua5.1", "lua5.3", "luac5.1", "luac5.3", "busted", "valgrind", "luarocks"];
const totals = { passed: 0, failed: 0, skipped: 0 };
const OUT = join(ROOT, "build", "test");

function run(title, cmd, args, env = {}, timeoutMs = undefined) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env }, timeout: timeoutMs, killSignal: "SIGKILL" });
  if (r.error?.code === "ETIMEDOUT") {
    console.log(`\n=== ${title}: FAILED, still running after ${timeoutMs / 60000} min and killed (a test file that never exits: the last one printed above)`);
    return false;
  }
  if (r.error) throw r.error;
  return r.status === 0;
}

/** A step that is not a test runner (lint, type-check, build) counts as one check. */
function check(title, cmd, args) {
  const ok = run(title, cmd, args);
  if (ok) totals.passed++;
  else totals.failed++;
  return ok;
}

function missingTools() {
  return TOOLS.filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);
}

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === "fixtures" ? [] : testFiles(p);
    return name.endsWith(".test.js") ? [relative(ROOT, p)] : [];
  });
}

/** Counts from a TAP stream: node's "# pass N" summary when present, otherwise ok / not ok lines. */
function tapCounts(text) {
  const summary = (key) => {
    const m = text.match(new RegExp(`^# ${key} (\\d+)$`, "m"));
    return m ? Number(m[1]) : undefined;
  };
  if (summary("pass") !== undefined) {
    return { passed: summary("pass"), failed: summary("fail") + (summary("cancelled") ?? 0), skipped: (summary("skipped") ?? 0) + (summary("todo") ?? 0) };
  }
  const lines = text.split("\n");
  const skipped = lines.filter((l) => /^ok \d+.*# (SKIP|TODO)/i.test(l)).length;
  return {
    passed: lines.filter((l) => /^ok \d+/.test(l)).length - skipped,
    failed: lines.filter((l) => /^not ok \d+/.test(l)).length,
    skipped,
  };
}

function add(counts, runnerOk, name) {
  // A runner that failed without reporting a failed test (a crash, a load error) still fails the run.
  if (!runnerOk && counts.failed === 0) {
    console.log(`${name} exited with an error before reporting a failed test`);
    counts.failed = 1;
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
}

function nodeTests() {
  const tap = join(OUT, "node.tap");
  const ok = run("node tests (Espruino builds)", process.execPath, [
    "--test", "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=tap", `--test-reporter-destination=${tap}`, "--test-timeout=300000", ...testFiles(join(ROOT, "test")),
  ], {}, 30 * 60000); // one hung file would otherwise stall the run for ever
  add(tapCounts(readFileSync(tap, "utf8")), ok, "node --test");
}

function busted(lua, specs, lib, cases, title) {
  const bin = spawnSync("sh", ["-c", "command -v busted"], { encoding: "utf8" }).stdout.trim();
  const r = spawnSync(lua, [bin, "--output=TAP", ...specs], {
    cwd: ROOT, encoding: "latin1",
    env: { ...process.env, NATS_MCU_LIB: lib, NATS_MCU_CASES: cases, NATS_MCU_TEST_BUILDS: join(ROOT, "build", "test") },
  });
  console.log(`\n=== busted under ${lua}: ${title}`);
  process.stdout.write(r.stdout.split("\n").filter((l) => !/^ok \d+/.test(l)).join("\n"));
  process.stderr.write(r.stderr);
  const counts = tapCounts(r.stdout);
  console.log(`${lua} ${title}: ${counts.passed} passed, ${counts.failed} failed`);
  add(counts, r.status === 0, `busted (${lua}, ${title})`);
}

/**
 * The library specs (every profile's Lua test build) under each Lua version the boards use; the
 * emulator's own specs once per Lua version, with a board's library.
 */
function bustedSpecs(cases) {
  const librarySpecs = readdirSync(join(ROOT, "test", "lua")).filter((f) => f.endsWith("_spec.lua")).map((f) => `test/lua/${f}`);
  const emulatorRun = new Map();
  for (const [name, board] of Object.entries(loadBoards())) {
    if (board.runtime !== "nodemcu") continue;
    const lua = `lua${board.lua}`;
    if (!emulatorRun.has(lua)) emulatorRun.set(lua, join(ROOT, "build", name, "nats_mcu.lua"));
  }
  for (const lua of emulatorRun.keys()) busted(lua, librarySpecs, "", cases, "library specs, every profile");
  for (const [lua, lib] of emulatorRun) busted(lua, ["test/lua/emulator"], lib, cases, "emulator specs");
}

function main() {
  const missing = missingTools();
  if (missing.length > 0) {
    console.error(`missing system tools: ${missing.join(", ")}\ninstall them with: ${APT}`);
    console.log(`\n0 passed, ${missing.length} failed`);
    process.exit(1);
  }
  mkdirSync(OUT, { recursive: true });
  check("lint", "npx", ["eslint", "."]);
  check("type-check", process.execPath, ["test/typecheck.js"]);
  if (check("build", process.execPath, ["tools/cli.js", "build"]) && check("test builds", process.execPath, ["test/build/build-tests.js"])) {
    nodeTests();
    bustedSpecs(writeLuaCases(join(OUT, "cases.lua")));
  }
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : "";
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

main();
