// The build refuses an artifact over its board's budget (boards.json "budgets"), naming the board, the
// profile, the file, the measure, the limit and the excess; every board's budgets hold what main builds.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { checkBudgets } from "../../tools/build/budgets.js";

const board = { budgets: { pub: { bytes: 1000, jsvars: 100 }, full: { bytecode51: 5000 } } };

test("an artifact over budget fails with board, profile, file, measure, limit and excess", () => {
  const manifest = {
    board: "b1",
    files: [
      { name: "pub/nats-mcu.js", profile: "pub", bytes: 1200, jsvars: 90 },
      { name: "full/nats_mcu.lua", profile: "full", bytes: 9000, strippedBytecode: { "luac5.1": 5001, "luac5.3": 4000 } },
      { name: "metrics.js", app: "metrics", bytes: 99999 },
    ],
  };
  assert.throws(() => checkBudgets(manifest, board), (e) => {
    assert.match(e.message, /b1 profile pub: build\/b1\/pub\/nats-mcu\.js: bytes 1200 > budget 1000 \(over by 200\)/);
    assert.match(e.message, /b1 profile full: build\/b1\/full\/nats_mcu\.lua: stripped bytecode bytes \(luac5\.1 -s\) 5001 > budget 5000 \(over by 1\)/);
    assert.doesNotMatch(e.message, /jsvars|JsVars|metrics/, "within budget, or no budget: not named");
    return true;
  });
});

test("within budget passes", () => {
  assert.doesNotThrow(() => checkBudgets({ board: "b1", files: [{ name: "pub/nats-mcu.js", profile: "pub", bytes: 1000, jsvars: 100 }] }, board));
});

test("every board's manifest from this build is within its budgets", () => {
  for (const [name, b] of Object.entries(loadBoards())) {
    const manifest = JSON.parse(readFileSync(join(ROOT, "build", name, "manifest.json"), "utf8"));
    assert.doesNotThrow(() => checkBudgets(manifest, b), name);
    for (const profile of ["pub", "pubsub", "full"]) assert.ok(b.budgets?.[profile] !== undefined, `${name} has a ${profile} budget`);
  }
});
