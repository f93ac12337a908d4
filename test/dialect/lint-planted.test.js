// Each planted TypeScript sample must trip exactly the dialect lint rules its header expects
// (dialect.md §7), and clean.ts none at all.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { before, describe, test } from "node:test";
import { ESLint } from "eslint";
import { dialectConfigs, nodeMcuAdapterOverride } from "../../tools/dialect/eslint-dialect-config.js";
import { matchFindings, readExpectations } from "./expectations.js";

const plantedDir = join(import.meta.dirname, "planted", "ts");
const samples = readdirSync(plantedDir).filter((f) => f.endsWith(".ts")).sort();

function plantedEslint() {
  return new ESLint({
    cwd: plantedDir,
    overrideConfigFile: true,
    overrideConfig: [
      ...dialectConfigs({ files: ["*.ts"], parserOptions: { projectService: true, tsconfigRootDir: plantedDir } }),
      nodeMcuAdapterOverride(["nodemcu-*.ts"]),
    ],
  });
}

describe("dialect lint rules on planted samples", () => {
  const results = new Map();
  before(async () => {
    for (const result of await plantedEslint().lintFiles(["*.ts"])) results.set(basename(result.filePath), result);
  });

  test("there is a clean sample and at least 40 planted violations", () => {
    assert.ok(samples.includes("clean.ts"));
    assert.ok(samples.length > 40, `only ${samples.length} samples`);
  });

  for (const sample of samples) {
    test(sample, () => {
      const result = results.get(sample);
      assert.ok(result, `${sample} was not linted`);
      const fatal = result.messages.filter((m) => m.fatal === true || m.ruleId === null);
      assert.deepEqual(fatal, [], `${sample} did not parse`);
      const findings = result.messages.map((m) => ({ rule: m.ruleId, message: m.message, line: m.line }));
      const { missing, unexpected } = matchFindings(readExpectations(readFileSync(join(plantedDir, sample), "utf8")), findings);
      assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
    });
  }
});
