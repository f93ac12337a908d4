// checkNodeMcuLua must report each planted NodeMCU problem (nodemcu.md §2-3, dialect.md §2) under
// its rule, nothing in the clean samples, and refuse to run without the compilers.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { checkNodeMcuLua } from "../../tools/dialect/check-lua.js";
import { plantedDir, testPlantedSamples } from "./check-planted.js";

describe("checkNodeMcuLua on planted samples", () => {
  testPlantedSamples("lua", ".lua", checkNodeMcuLua);
});

describe("checkNodeMcuLua options and environment", () => {
  const split = readFileSync(join(plantedDir("lua"), "lualib-split.lua"), "utf8");

  test("allowedLualib extends the allow-list", () => {
    const rules = checkNodeMcuLua(split, "split.lua", { allowedLualib: ["Class", "New", "StringSplit"] }).map((v) => v.rule);
    assert.ok(!rules.includes("lualib"), rules.join());
  });

  test("an allowed feature brings its dependencies", () => {
    const map = readFileSync(join(plantedDir("lua"), "lualib-map.lua"), "utf8");
    assert.deepEqual(checkNodeMcuLua(map, "map.lua", { allowedLualib: ["Class", "New", "Map"] }), []);
  });

  test("an unknown feature name is an error, not a silent pass", () => {
    assert.throws(() => checkNodeMcuLua("return 1", "x.lua", { allowedLualib: ["Clas"] }), /unknown lualib feature "Clas"/);
  });

  function withPath(path, run) {
    const saved = process.env.PATH;
    process.env.PATH = path;
    try {
      run();
    } finally {
      process.env.PATH = saved;
    }
  }

  test("a missing luac5.1 throws with the install command", () => {
    withPath("/nonexistent", () =>
      assert.throws(() => checkNodeMcuLua("return 1", "x.lua"), /luac5\.1 not found: install it with: apt-get install -y lua5\.1/));
  });

  test("a missing luac5.3 throws with the install command", () => {
    const dir = mkdtempSync(join(tmpdir(), "only-luac51-"));
    try {
      symlinkSync("/usr/bin/luac5.1", join(dir, "luac5.1"));
      withPath(dir, () =>
        assert.throws(() => checkNodeMcuLua("return 1", "x.lua"), /luac5\.3 not found: install it with: apt-get install -y lua5\.3/));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
