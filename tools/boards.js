// Loads boards.json and validates it against tools/boards-schema.json; errors name the bad field.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SCHEMA = JSON.parse(readFileSync(join(ROOT, "tools", "boards-schema.json"), "utf8"));

/** One line per problem: `boards.<name>.<field>: <what is wrong>`. */
function describe(errors) {
  return errors
    .filter((e) => e.keyword !== "if" && e.keyword !== "allOf")
    .map((e) => {
      const path = ("boards" + e.instancePath.replace(/\//g, ".")).replace(/^boards\.boards/, "boards");
      if (e.keyword === "required") return `${path}.${e.params.missingProperty}: is required`;
      if (e.keyword === "additionalProperties") return `${path}.${e.params.additionalProperty}: is not a known field`;
      if (e.keyword === "enum") return `${path}: must be one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
      if (e.keyword === "const") return `${path}: must be ${JSON.stringify(e.params.allowedValue)}`;
      if (e.keyword === "not") return `${path}: lua and numbers apply only to nodemcu boards`;
      return `${path}: ${e.message}`;
    });
}

/** Validate a parsed boards document; returns the list of problems (empty when valid). */
export function validateBoards(doc) {
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(SCHEMA);
  return validate(doc) ? [] : [...new Set(describe(validate.errors))];
}

/** The boards of boards.json (or another file), validated; throws an Error naming each bad field. */
export function loadBoards(file = join(ROOT, "boards.json")) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: ${e.message}`, { cause: e });
  }
  const problems = validateBoards(doc);
  if (problems.length > 0) {
    throw new Error(`${file} is invalid:\n  ${problems.join("\n  ")}`);
  }
  return doc.boards;
}
