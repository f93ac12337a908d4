// What V8 would run but genuine Espruino rejects before or while running it: syntax it lacks and calls of
// functions before their declaration (no hoisting), espruino.md §1. The vm context cannot reproduce either,
// so loaded code is checked with the project's emitted-code checker and the board crashes at load time.
// (Genuine Espruino parses function bodies lazily, so it would fail later, only if that code runs.)
// Missing built-ins are not listed here: the pruned context makes them fail at run time, as on the board.
import { checkEspruinoJs } from "../../tools/dialect/check-espruino.js";

const SYNTAX = ["parse", "default-parameter", "rest", "spread", "destructuring", "exponent", "logical-assignment",
  "optional-chaining", "label", "generator", "async", "tagged-template", "meta-property", "private-member", "static-block",
  "dynamic-import", "computed-key", "bigint", "unicode-escape", "extends-error", "extends-expression", "class-field-this"];
const REFERENCE = ["use-before-declaration", "call-before-declaration"];
const KIND = new Map([...SYNTAX.map((rule) => [rule, "SyntaxError"]), ...REFERENCE.map((rule) => [rule, "ReferenceError"])]);

// A fleet loads the same library into every board: each source is checked once.
const checked = new Map();

/** The first load-time failure of `source`, as an exception text, or undefined. */
export function loadTimeError(source, fileName) {
  const key = `${fileName}\0${source}`;
  if (checked.has(key)) return checked.get(key);
  let error;
  for (const v of checkEspruinoJs(source, fileName)) {
    const kind = KIND.get(v.rule);
    if (kind) {
      error = `${kind}: ${v.message} [emulator static check, ${fileName}:${v.line}:${v.column}]`;
      break;
    }
  }
  if (checked.size >= 64) checked.clear();
  checked.set(key, error);
  return error;
}
