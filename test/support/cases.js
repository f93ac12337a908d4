// The shared test data: golden fixtures (test/fixtures) and hand-written cases (test/cases).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../tools/boards.js";
import { fromHex } from "./events.js";

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Golden fixtures and parser cases, both as { name, parser, wire (byte string), events }. */
export function wireCases() {
  const dir = join(ROOT, "test", "fixtures");
  const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const fx = readJson(join(dir, f));
      return { name: `fixture ${fx.name}`, parser: fx.parser, wire: fromHex(fx.wire), events: fx.events };
    });
  if (fixtures.length === 0) throw new Error(`no fixtures in ${dir}: run npm run fixtures`);
  const doc = readJson(join(ROOT, "test", "cases", "parser-cases.json"));
  const cases = doc.cases.map((c) => ({ name: `case ${c.name}`, parser: c.parser ?? doc.parser, wire: c.wire, events: c.events }));
  return [...fixtures, ...cases];
}

export function clientScenarios() {
  return readJson(join(ROOT, "test", "cases", "client-scenarios.json")).scenarios;
}
