// Budgets per board and profile (boards.json "budgets"), enforced on every build: an artifact over
// budget fails the build, naming board, profile, file, the measure, the limit and the excess.
import { join } from "node:path";

/** The measures a manifest entry carries, by budget key. */
const MEASURES = {
  bytes: (f) => f.bytes,
  bytecode51: (f) => f.strippedBytecode?.["luac5.1"],
  bytecode53: (f) => f.strippedBytecode?.["luac5.3"],
  jsvars: (f) => f.jsvars,
};

const WHAT = {
  bytes: "bytes",
  bytecode51: "stripped bytecode bytes (luac5.1 -s)",
  bytecode53: "stripped bytecode bytes (luac5.3 -s)",
  jsvars: "JsVars after require (module loaded as the espruino CLI loads it)",
};

/** Every excess of manifest m over the budgets of board; throws with one line per excess. */
export function checkBudgets(m, board) {
  const over = [];
  for (const f of m.files) {
    const budget = f.profile === undefined ? undefined : board.budgets?.[f.profile];
    if (budget === undefined) continue;
    for (const [key, limit] of Object.entries(budget)) {
      const measure = MEASURES[key];
      const value = measure === undefined ? undefined : measure(f);
      if (value !== undefined && value > limit) {
        over.push(`  ${m.board} profile ${f.profile}: ${join("build", m.board, f.name)}: ${WHAT[key]} ${value} > budget ${limit} (over by ${value - limit})`);
      }
    }
  }
  if (over.length > 0) throw new Error(`over budget (boards.json):\n${over.join("\n")}`);
}
