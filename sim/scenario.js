// Scenario files (sim/scenarios/*.json): a fleet (fleet-spec.js fields: boards, durationS, seed) plus
// cluster, intervalMs, faults (fault-spec.js) and expectations { maxLoss, maxRecoveryMs }.
//
//   { "description": "…", "boards": [{ "board": "esp32-espruino", "count": 2 }], "durationS": 20,
//     "seed": 1, "cluster": 3, "intervalMs": 500,
//     "faults": [{ "kind": "partition", "at": 5, "duration": 4, "boards": ["esp32-*"] }],
//     "expect": { "maxLoss": 0, "maxRecoveryMs": 5000 } }
import { readFileSync } from "node:fs";
import { loadBoards } from "../tools/boards.js";
import { validateFleet } from "./fleet-spec.js";

const FIELDS = ["description", "boards", "durationS", "seed", "cluster", "intervalMs", "faults", "expect"];

/** Problems of a scenario document (fault entries are checked against the run by fault-spec.js). */
export function scenarioProblems(doc, catalogue = loadBoards()) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return ["scenario: must be a JSON object"];
  const problems = [];
  for (const key of Object.keys(doc)) if (!FIELDS.includes(key)) problems.push(`${key}: is not a known field (known: ${FIELDS.join(", ")})`);
  const { boards, durationS, seed } = doc;
  problems.push(...validateFleet({ boards, durationS, seed }, catalogue));
  if (doc.description !== undefined && typeof doc.description !== "string") problems.push("description: must be a string");
  if (doc.cluster !== undefined && !(Number.isInteger(doc.cluster) && doc.cluster >= 1 && doc.cluster <= 16)) problems.push("cluster: must be a node count from 1 to 16");
  if (doc.intervalMs !== undefined && !(Number.isInteger(doc.intervalMs) && doc.intervalMs >= 10)) problems.push("intervalMs: must be an integer >= 10 (ms)");
  if (doc.faults !== undefined && !Array.isArray(doc.faults)) problems.push("faults: must be a list of { kind, at, duration? }");
  const e = doc.expect;
  if (e !== undefined) {
    if (e === null || typeof e !== "object" || Array.isArray(e)) problems.push("expect: must be an object { maxLoss?, maxRecoveryMs? }");
    else {
      for (const key of Object.keys(e)) if (!["maxLoss", "maxRecoveryMs"].includes(key)) problems.push(`expect.${key}: is not a known field (known: maxLoss, maxRecoveryMs)`);
      if (e.maxLoss !== undefined && !(Number.isInteger(e.maxLoss) && e.maxLoss >= 0)) problems.push("expect.maxLoss: must be an integer >= 0 (messages)");
      if (e.maxRecoveryMs !== undefined && !(typeof e.maxRecoveryMs === "number" && e.maxRecoveryMs > 0)) problems.push("expect.maxRecoveryMs: must be a number of ms > 0");
    }
  }
  return problems;
}

export function loadScenario(file, catalogue = loadBoards()) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: ${e.message}`, { cause: e });
  }
  const problems = scenarioProblems(doc, catalogue);
  if (problems.length > 0) throw new Error(`${file} is invalid:\n  ${problems.join("\n  ")}`);
  return doc;
}
