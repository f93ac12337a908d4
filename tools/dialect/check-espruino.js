// Checks emitted (minified) JavaScript for what genuine Espruino 2v29 lacks (espruino.md §1):
// syntax it rejects, missing built-ins, prototype reads, and use before declaration (no hoisting).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "acorn";
import { analyzeScopes, executionOwner, isFunctionNode, walk } from "./js-scopes.js";
import { reportUseBeforeDeclaration } from "./js-declaration-order.js";

const WHY = "Espruino 2v29 lacks it (espruino.md §1)";

const MISSING_GLOBALS = new Set(["Map", "Set", "WeakMap", "WeakSet", "Symbol", "BigInt", "TextEncoder", "TextDecoder", "setImmediate"]);

const MISSING_STATICS = {
  Array: ["from", "of"],
  Math: ["imul", "trunc", "clz32", "log2"],
  Number: ["isInteger", "isNaN", "isFinite", "isSafeInteger", "parseInt", "parseFloat", "EPSILON", "MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER"],
  Promise: ["race", "allSettled", "any"],
  Object: ["freeze"],
  Uint8Array: ["from", "of"],
};

// Method names with no Espruino implementation on any built-in (espruino.md §1 "Missing built-ins").
const MISSING_METHODS = new Set(["finally", "reduceRight", "flat", "flatMap", "codePointAt", "trimStart", "trimEnd", "copyWithin"]);

const BUILT_IN_CONSTRUCTORS = new Set([
  "Array", "String", "Object", "Number", "Boolean", "Function", "Date", "RegExp", "Error", "Promise",
  "ArrayBuffer", "DataView", "Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array",
  "Float32Array", "Float64Array", "Uint8ClampedArray",
]);

const ERROR_CLASSES = new Set(["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError"]);

function propertyName(member) {
  if (!member.computed && member.property.type === "Identifier") return member.property.name;
  if (member.computed && member.property.type === "Literal" && typeof member.property.value === "string") return member.property.value;
  return undefined;
}

/** Syntax Espruino rejects, by node; returns [rule, message] or undefined. */
function syntaxViolation(node) {
  switch (node.type) {
    case "AssignmentPattern":
      return node.parent && isFunctionNode(node.parent) ? ["default-parameter", `default parameter: ${WHY}; test === undefined in the body`] : undefined;
    case "RestElement": return ["rest", `rest parameter/element: ${WHY}`];
    case "SpreadElement": return ["spread", `spread: ${WHY}`];
    case "ObjectPattern": case "ArrayPattern": return ["destructuring", `destructuring: ${WHY}`];
    case "BinaryExpression": return node.operator === "**" ? ["exponent", `\`**\`: ${WHY}; multiply`] : undefined;
    case "AssignmentExpression":
      if (node.operator === "**=") return ["exponent", `\`**=\`: ${WHY}; multiply`];
      if (node.operator === "??=" || node.operator === "||=" || node.operator === "&&=") return ["logical-assignment", `\`${node.operator}\`: ${WHY}`];
      return undefined;
    case "ChainExpression": return ["optional-chaining", `optional chaining \`?.\`: ${WHY}`];
    case "LabeledStatement": return ["label", `label \`${node.label.name}:\`: ${WHY}`];
    case "YieldExpression": return ["generator", `yield: ${WHY}`];
    case "AwaitExpression": return ["async", `await: ${WHY}`];
    case "ForOfStatement": return node.await ? ["async", `for await: ${WHY}`] : undefined;
    case "TaggedTemplateExpression": return ["tagged-template", `tagged template: ${WHY}`];
    case "MetaProperty": return ["meta-property", `\`${node.meta.name}.${node.property.name}\`: ${WHY}`];
    case "PrivateIdentifier": return ["private-member", `private member \`#${node.name}\`: ${WHY}`];
    case "StaticBlock": return ["static-block", `class static block: ${WHY}`];
    case "ImportExpression": return ["dynamic-import", `import(): ${WHY}`];
    case "Property": case "MethodDefinition": case "PropertyDefinition":
      return node.computed && node.parent?.type !== "ObjectPattern" ? ["computed-key", `computed key: ${WHY}; assign obj[key] after creating the object`] : undefined;
    case "Literal":
      if (node.bigint !== undefined) return ["bigint", `BigInt literal: ${WHY}`];
      if (typeof node.value === "string" && /\\u\{/.test(node.raw)) return ["unicode-escape", `\\u{…} escape: ${WHY}; use \\uXXXX`];
      return undefined;
    case "TemplateElement": return /\\u\{/.test(node.value.raw) ? ["unicode-escape", `\\u{…} escape: ${WHY}; use \\uXXXX`] : undefined;
    default:
      if (isFunctionNode(node)) {
        if (node.generator) return ["generator", `generator function: ${WHY}`];
        if (node.async) return ["async", `async function: ${WHY}`];
      }
      return undefined;
  }
}

/** Class features Espruino gets wrong (espruino.md §1 "Classes"). */
function classViolation(node, globals) {
  if ((node.type === "ClassDeclaration" || node.type === "ClassExpression") && node.superClass) {
    const base = node.superClass;
    if (base.type === "Identifier" && ERROR_CLASSES.has(base.name) && globals.has(base)) return ["extends-error", `\`extends ${base.name}\`: Espruino SyntaxError (espruino.md §1)`];
    if (base.type !== "Identifier" && base.type !== "MemberExpression") return ["extends-expression", "`extends` of a computed expression: fails on Espruino (espruino.md §1)"];
  }
  if (node.type === "PropertyDefinition" && node.value?.type === "ArrowFunctionExpression" && containsThis(node.value)) {
    return ["class-field-this", "arrow-function class field using `this`: fails on Espruino (espruino.md §1); bind in the constructor"];
  }
  return undefined;
}

function containsThis(root) {
  let found = false;
  walk(root, (node) => { if (node.type === "ThisExpression") found = true; });
  return found;
}

/** Built-ins Espruino lacks or reads as undefined; returns [rule, message] or undefined. */
function builtInViolation(node, globals) {
  // `typeof Map` is a safe feature test on Espruino: only uses of the value fail.
  if (node.type === "Identifier" && globals.has(node) && MISSING_GLOBALS.has(node.name) && node.parent?.operator !== "typeof") {
    return ["missing-global", `\`${node.name}\`: ${WHY}`];
  }
  if (node.type !== "MemberExpression") return undefined;
  const name = propertyName(node);
  if (name === undefined) return undefined;
  const object = node.object;
  if (object.type === "Identifier" && globals.has(object) && MISSING_STATICS[object.name]?.includes(name)) {
    return ["missing-member", `\`${object.name}.${name}\`: ${WHY}`];
  }
  if (object.type === "MemberExpression" && propertyName(object) === "prototype" && object.object.type === "Identifier"
      && BUILT_IN_CONSTRUCTORS.has(object.object.name) && globals.has(object.object) && !isAssignmentTarget(node)
      && !(object.object.name === "Object" && name === "hasOwnProperty")) {
    return ["prototype-read", `\`${object.object.name}.prototype.${name}\` read: Espruino returns undefined for built-in prototype methods (espruino.md §1 trap 1); use [].${name}.call or a value's method`];
  }
  if (node.parent?.type === "CallExpression" && node.parent.callee === node && MISSING_METHODS.has(name)) {
    return ["missing-method", `\`.${name}()\`: ${WHY}`];
  }
  return undefined;
}

function isAssignmentTarget(node) {
  return node.parent?.type === "AssignmentExpression" && node.parent.left === node;
}

function parseScript(source) {
  return parse(source, { ecmaVersion: "latest", sourceType: "script", locations: true, allowHashBang: true });
}

/**
 * @param {string} source emitted JavaScript
 * @param {string} [fileName] for messages only
 * @returns {{rule: string, message: string, line: number, column: number}[]} column is 1-based
 */
export function checkEspruinoJs(source, fileName = "<input>") {
  let program;
  try {
    program = parseScript(source);
  } catch (error) {
    return [{ rule: "parse", message: `${fileName}: ${error.message}`, line: error.loc?.line ?? 0, column: (error.loc?.column ?? 0) + 1 }];
  }
  const { references, globals: globalRefs } = analyzeScopes(program);
  const globals = new Set(globalRefs.map((g) => g.identifier));
  const violations = [];
  const report = (node, [rule, message]) => violations.push({ rule, message, line: node.loc.start.line, column: node.loc.start.column + 1 });

  walk(program, (node) => {
    for (const check of [syntaxViolation, classViolation, builtInViolation]) {
      const found = check(node, globals);
      if (found) report(node, found);
    }
  });
  for (const found of reportUseBeforeDeclaration(references, executionOwner)) report(found.node, [found.rule, found.message]);

  return violations.sort((a, b) => a.line - b.line || a.column - b.column);
}

function main(files) {
  let failed = false;
  for (const file of files) {
    for (const v of checkEspruinoJs(readFileSync(file, "utf8"), file)) {
      failed = true;
      console.log(`${file}:${v.line}:${v.column} ${v.rule} ${v.message}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
