// Checks emitted Lua for NodeMCU (nodemcu.md §2-3, dialect.md §2, §7): lualib features beyond the
// allow-list, functions over 50 active locals, float literals, and that both luac5.1 and luac5.3
// compile it. Desktop Lua alone misses the first three. (NodeMCU's 60-upvalue cap equals stock
// 5.1's LUAI_MAXUPVALUES, so luac5.1 -p already reports it.)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileError, listing } from "./luac.js";
import { lineOfPc, parseListing, peakActiveLocals } from "./lua-locals.js";
import { allowedExports, featureOfExport } from "./lualib-features.js";
import { isFloatLiteral, tokenizeLua } from "./lua-tokens.js";

export const NODEMCU_MAX_LOCALS = 50; // LUAI_MAXVARS on NodeMCU 5.1 (stock: 200)
const INT32_LIMIT = 2147483648;

function lualibViolations(tokens, allowedFeatures) {
  const allowed = allowedExports(allowedFeatures);
  const violations = [];
  const reported = new Set();
  const report = (name, line) => {
    if (allowed.has(name) || reported.has(name)) return;
    reported.add(name);
    const feature = featureOfExport.get(name) ?? name.replace(/^__TS__/, "");
    violations.push({
      rule: "lualib",
      message: `lualib feature ${feature} (\`${name}\`): not in the allowed ${allowedFeatures.join("/")}; lualib costs code size, a call per use, often an allocation (dialect.md §2, §7)`,
      line,
    });
  };
  tokens.forEach((token, i) => {
    if (token.kind !== "name") return;
    if (token.text.startsWith("__TS__")) report(token.text, token.line);
    // `local Map = ____lualib.Map`: features exported without the __TS__ prefix (Map, Set, Error, Symbol…)
    else if (token.text === "____lualib" && tokens[i + 1]?.text === "." && tokens[i + 2]?.kind === "name") report(tokens[i + 2].text, token.line);
  });
  return violations;
}

function numberViolations(tokens) {
  const violations = [];
  tokens.forEach((token, i) => {
    if (token.kind !== "number") return;
    if (isFloatLiteral(token.text)) {
      violations.push({ rule: "float-literal", message: `float literal \`${token.text}\`: integer-only NodeMCU 5.1 rejects it ("malformed number") (nodemcu.md §2, dialect.md §4)`, line: token.line });
      return;
    }
    const value = Number(token.text);
    const negated = tokens[i - 1]?.text === "-";
    if (value > INT32_LIMIT || (value === INT32_LIMIT && !negated)) {
      violations.push({ rule: "int32-literal", message: `integer literal \`${token.text}\` reaches 2^31: NodeMCU 5.3 int32 wraps or turns it into a float (nodemcu.md §2, dialect.md §4)`, line: token.line });
    }
  });
  return violations;
}

function limitViolations(source) {
  const violations = [];
  for (const fn of parseListing(listing("luac5.1", source))) {
    const where = fn.kind === "main" ? "main chunk" : `function at line ${fn.firstLine}`;
    const { peak, at } = peakActiveLocals(fn.locals);
    if (peak > NODEMCU_MAX_LOCALS) {
      violations.push({
        rule: "max-locals",
        message: `${where} has ${peak} locals active at once (\`${at.name}\` is local ${peak}): NodeMCU 5.1 allows ${NODEMCU_MAX_LOCALS} (LUAI_MAXVARS, nodemcu.md §3); split the function or file`,
        line: lineOfPc(fn, Math.max(1, at.start - 1)),
      });
    }
  }
  return violations;
}

/**
 * @param {string} source emitted Lua
 * @param {string} [fileName] for messages only
 * @param {{allowedLualib?: string[]}} [options] lualib features the file may use (with their dependencies)
 * @returns {{rule: string, message: string, line: number}[]}
 * @throws when luac5.1 or luac5.3 is not installed
 */
export function checkNodeMcuLua(source, fileName = "<input>", { allowedLualib = ["Class", "New"] } = {}) {
  const tokens = tokenizeLua(source);
  const violations = [...lualibViolations(tokens, allowedLualib), ...numberViolations(tokens)];

  const errors = { "luac5.1": compileError("luac5.1", source), "luac5.3": compileError("luac5.3", source) };
  for (const [compiler, error] of Object.entries(errors)) {
    if (error) violations.push({ rule: `compile-${compiler.slice(4)}`, message: `${compiler}: ${error.message.replace(/^stdin:/, `${fileName}:`)}`, line: error.line });
  }
  if (errors["luac5.1"] === undefined) violations.push(...limitViolations(source));

  return violations.sort((a, b) => a.line - b.line);
}

function main(files) {
  let failed = false;
  for (const file of files) {
    for (const v of checkNodeMcuLua(readFileSync(file, "utf8"), file)) {
      failed = true;
      console.log(`${file}:${v.line} ${v.rule} ${v.message}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
