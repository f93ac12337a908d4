// Shared driver for the emitted-code checkers: runs a checker over every planted sample of one
// kind and compares its findings with the sample's `expect:` header.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { matchFindings, readExpectations } from "./expectations.js";

export const plantedDir = (kind) => join(import.meta.dirname, "planted", kind);

/** One test per planted `*.ext` file under planted/<kind>/, checked with `check(source, file)`. */
export function testPlantedSamples(kind, ext, check) {
  const dir = plantedDir(kind);
  const samples = readdirSync(dir).filter((f) => f.endsWith(ext)).sort();
  test(`planted/${kind} has a clean sample and violations`, () => {
    assert.ok(samples.includes(`clean${ext}`));
    assert.ok(samples.length > 5);
  });
  for (const sample of samples) {
    test(sample, () => {
      const source = readFileSync(join(dir, sample), "utf8");
      const findings = check(source, sample);
      const { missing, unexpected } = matchFindings(readExpectations(source), findings);
      assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
    });
  }
}
