// TypeScriptToLua plugin for the nats-mcu dialect (shared/docs/dialect.md §2): inline the string
// operations the core uses instead of pulling lualib helpers, and emit a string concatenation chain
// a + b + c as Lua's right-associative a .. b .. c, one CONCAT instruction and one new string (TSTL
// emits ((a .. b) .. c): a temporary string per step). Like the dialect, it assumes in-range,
// non-negative integer indices: charCodeAt(i) → string.byte(s, i + 1) (no NaN fallback; i + n + 1 and
// i - n + 1 folded to one term),
// charAt(i) → string.sub(s, i + 1, i + 1), substring(a[, b]) / slice(a[, b]) → string.sub(s, a + 1[, b]).
const ts = require("typescript");
const tstl = require("typescript-to-lua");
const { canBeFalsy, canBeFalsyWhenNotNull } = require("typescript-to-lua/dist/transformation/utils/typescript");
const { transformInPrecedingStatementScope } = require("typescript-to-lua/dist/transformation/utils/preceding-statements");

function isStringType(context, expression) {
  const type = context.checker.getTypeAtLocation(expression);
  return (type.flags & ts.TypeFlags.StringLike) !== 0;
}

/** expression + 1, folded: n + 1 as one literal, `a + n` as `a + (n + 1)`, `a - 1` as `a` (integer indices). */
function plusOne(expression) {
  if (tstl.isNumericLiteral(expression)) {
    return tstl.createNumericLiteral(expression.value + 1);
  }
  if (tstl.isBinaryExpression(expression) && tstl.isNumericLiteral(expression.right) && Number.isInteger(expression.right.value)) {
    const n = expression.right.value;
    if (expression.operator === tstl.SyntaxKind.AdditionOperator) {
      return tstl.createBinaryExpression(expression.left, tstl.createNumericLiteral(n + 1), tstl.SyntaxKind.AdditionOperator);
    }
    if (expression.operator === tstl.SyntaxKind.SubtractionOperator) {
      if (n === 1) return expression.left;
      if (n > 1) return tstl.createBinaryExpression(expression.left, tstl.createNumericLiteral(n - 1), tstl.SyntaxKind.SubtractionOperator);
      return tstl.createBinaryExpression(expression.left, tstl.createNumericLiteral(1 - n), tstl.SyntaxKind.AdditionOperator);
    }
  }
  return tstl.createBinaryExpression(expression, tstl.createNumericLiteral(1), tstl.SyntaxKind.AdditionOperator);
}

function stringCall(name, args, node) {
  const callee = tstl.createTableIndexExpression(tstl.createIdentifier("string"), tstl.createStringLiteral(name));
  return tstl.createCallExpression(callee, args, node);
}

function isConcat(e) {
  return tstl.isBinaryExpression(e) && e.operator === tstl.SyntaxKind.ConcatOperator;
}

/** The operands of a tree of concatenations, left to right. */
function concatOperands(e, out) {
  if (isConcat(e)) {
    concatOperands(e.left, out);
    concatOperands(e.right, out);
  } else {
    out.push(e);
  }
  return out;
}

const INLINED = new Set(["charCodeAt", "charAt", "substring", "slice", "indexOf"]);

/** s.indexOf(x[, from]) on a string, as the call string.find(s, x, from + 1 | nil, true); undefined otherwise. */
function stringFind(node, context) {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = node.expression;
  if (
    !ts.isPropertyAccessExpression(callee) || callee.name.text !== "indexOf" || node.arguments.length < 1 || node.arguments.length > 2 ||
    !isStringType(context, callee.expression)
  ) {
    return undefined;
  }
  const target = context.transformExpression(callee.expression);
  const args = node.arguments.map((a) => context.transformExpression(a));
  // the dialect's indices are non-negative: no math.max(from + 1, 1) (TSTL's guard for a negative from)
  return stringCall("find", [target, args[0], args.length === 2 ? plusOne(args[1]) : tstl.createNilLiteral(), tstl.createBooleanLiteral(true)], node);
}

/** The value of an integer literal, or of `-n`; undefined for anything else. */
function integerLiteral(node) {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) return -Number(node.operand.text);
  return undefined;
}

const EQUALS = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken]);
const NOT_EQUALS = new Set([ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

/**
 * s.indexOf(x) compared with a literal, without TSTL's (find(...) or 0) - 1: found (>= 0, > -1, !== -1)
 * is find(...) ~= nil, not found (< 0, <= -1, === -1) find(...) == nil, at k (=== k, !== k) find(...) == k + 1.
 */
function indexOfComparison(node, context) {
  const k = integerLiteral(node.right);
  if (k === undefined || !Number.isInteger(k)) return undefined;
  const op = node.operatorToken.kind;
  let compare;
  let value;
  if ((op === ts.SyntaxKind.GreaterThanEqualsToken && k === 0) || (op === ts.SyntaxKind.GreaterThanToken && k === -1) || (NOT_EQUALS.has(op) && k === -1)) {
    compare = tstl.SyntaxKind.InequalityOperator;
  } else if ((op === ts.SyntaxKind.LessThanToken && k === 0) || (op === ts.SyntaxKind.LessThanEqualsToken && k === -1) || (EQUALS.has(op) && k === -1)) {
    compare = tstl.SyntaxKind.EqualityOperator;
  } else if ((EQUALS.has(op) || NOT_EQUALS.has(op)) && k >= 0) {
    compare = EQUALS.has(op) ? tstl.SyntaxKind.EqualityOperator : tstl.SyntaxKind.InequalityOperator;
    value = tstl.createNumericLiteral(k + 1);
  } else {
    return undefined;
  }
  const find = stringFind(node.left, context);
  if (find === undefined) return undefined;
  return tstl.createBinaryExpression(find, value ?? tstl.createNilLiteral(), compare, node);
}

function isNilLiteral(node) {
  return node.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(node) && node.text === "undefined") || ts.isVoidExpression(node);
}

/** not e, with a comparison inverted instead. */
function negate(e) {
  if (tstl.isBinaryExpression(e) && e.operator === tstl.SyntaxKind.EqualityOperator) return tstl.createBinaryExpression(e.left, e.right, tstl.SyntaxKind.InequalityOperator);
  if (tstl.isBinaryExpression(e) && e.operator === tstl.SyntaxKind.InequalityOperator) return tstl.createBinaryExpression(e.left, e.right, tstl.SyntaxKind.EqualityOperator);
  return tstl.createUnaryExpression(e, tstl.SyntaxKind.NotOperator);
}

/**
 * c ? t : f where t may be nil or false, which TSTL emits as a temporary and an if statement, as one
 * and/or expression where one is exact: `not c and f or t` when f is never nil or false; `c and t or nil`
 * (`not c and f or nil`) when the other branch is nil and t (f) is never false. Undefined when none is.
 */
function conditional(node, context) {
  const type = (e) => context.checker.getTypeAtLocation(e);
  // x !== undefined ? x : f, x === undefined ? f : x (or null, != / ==): x or f where x is never false
  const test = node.condition;
  if (ts.isBinaryExpression(test) && ts.isIdentifier(test.left) && isNilLiteral(test.right) && (EQUALS.has(test.operatorToken.kind) || NOT_EQUALS.has(test.operatorToken.kind))) {
    const [same, other] = EQUALS.has(test.operatorToken.kind) ? [node.whenFalse, node.whenTrue] : [node.whenTrue, node.whenFalse];
    if (ts.isIdentifier(same) && same.text === test.left.text && !canBeFalsyWhenNotNull(context, type(same))) {
      const [x, f] = [same, other].map((e) => transformInPrecedingStatementScope(context, () => context.transformExpression(e)));
      if (x.precedingStatements.length === 0 && f.precedingStatements.length === 0) return tstl.createBinaryExpression(x.result, f.result, tstl.SyntaxKind.OrOperator, node);
    }
  }
  if (!canBeFalsy(context, type(node.whenTrue))) return undefined;
  let form;
  if (!canBeFalsy(context, type(node.whenFalse))) form = "swap";
  else if (isNilLiteral(node.whenTrue) && !canBeFalsyWhenNotNull(context, type(node.whenFalse))) form = "swap";
  else if (isNilLiteral(node.whenFalse) && !canBeFalsyWhenNotNull(context, type(node.whenTrue))) form = "nil";
  else return undefined;
  const [c, t, f] = [node.condition, node.whenTrue, node.whenFalse].map((e) => transformInPrecedingStatementScope(context, () => context.transformExpression(e)));
  if (t.precedingStatements.length > 0 || f.precedingStatements.length > 0) return undefined;
  context.addPrecedingStatements(c.precedingStatements);
  const [cond, first, second] = form === "swap" ? [negate(c.result), f.result, t.result] : [c.result, t.result, f.result];
  return tstl.createBinaryExpression(tstl.createBinaryExpression(cond, first, tstl.SyntaxKind.AndOperator), second, tstl.SyntaxKind.OrOperator, node);
}

/** `typeof x === "object" && x !== null` (or != null, !== undefined): x is a table then, never nil, so only the first test is emitted. */
function isTypeofObjectAndNotNull(node) {
  if (node.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken) return false;
  const [left, right] = [node.left, node.right];
  if (!ts.isBinaryExpression(left) || !EQUALS.has(left.operatorToken.kind) || !ts.isTypeOfExpression(left.left) || !ts.isIdentifier(left.left.expression)) return false;
  if (!ts.isStringLiteral(left.right) || left.right.text !== "object") return false;
  if (!ts.isBinaryExpression(right) || !NOT_EQUALS.has(right.operatorToken.kind) || !ts.isIdentifier(right.left) || right.left.text !== left.left.expression.text) return false;
  return isNilLiteral(right.right);
}

/** @type {import("typescript-to-lua").Plugin} */
const plugin = {
  visitors: {
    [ts.SyntaxKind.ConditionalExpression](node, context) {
      return conditional(node, context) ?? context.superTransformExpression(node);
    },
    [ts.SyntaxKind.BinaryExpression](node, context) {
      const found = indexOfComparison(node, context);
      if (found !== undefined) return found;
      if (isTypeofObjectAndNotNull(node)) return context.transformExpression(node.left);
      const result = context.superTransformExpression(node);
      if (node.operatorToken.kind !== ts.SyntaxKind.PlusToken || !isConcat(result)) {
        return result;
      }
      const operands = concatOperands(result, []);
      let chain = operands[operands.length - 1];
      for (let i = operands.length - 2; i >= 0; i--) {
        chain = tstl.createBinaryExpression(operands[i], chain, tstl.SyntaxKind.ConcatOperator, node);
      }
      return chain;
    },
    // an array index i + n becomes t[i + n + 1]: one term, t[i + (n + 1)]
    [ts.SyntaxKind.ElementAccessExpression](node, context) {
      const result = context.superTransformExpression(node);
      const index = result.index;
      if (
        tstl.isTableIndexExpression(result) && tstl.isBinaryExpression(index) && index.operator === tstl.SyntaxKind.AdditionOperator &&
        tstl.isNumericLiteral(index.right) && index.right.value === 1 && tstl.isBinaryExpression(index.left) && !tstl.isNumericLiteral(index.left.left)
      ) {
        result.index = plusOne(index.left);
      }
      return result;
    },
    [ts.SyntaxKind.CallExpression](node, context) {
      const callee = node.expression;
      if (
        ts.isPropertyAccessExpression(callee) &&
        INLINED.has(callee.name.text) &&
        node.arguments.length >= 1 &&
        node.arguments.length <= 2 &&
        isStringType(context, callee.expression)
      ) {
        if (callee.name.text === "indexOf") {
          // (string.find(s, x, from + 1, true) or 0) - 1
          const find = tstl.createBinaryExpression(stringFind(node, context), tstl.createNumericLiteral(0), tstl.SyntaxKind.OrOperator);
          return tstl.createBinaryExpression(find, tstl.createNumericLiteral(1), tstl.SyntaxKind.SubtractionOperator, node);
        }
        const target = context.transformExpression(callee.expression);
        const args = node.arguments.map((a) => context.transformExpression(a));
        if (callee.name.text === "charCodeAt") {
          return stringCall("byte", [target, plusOne(args[0])], node);
        }
        if (callee.name.text === "charAt") {
          // The index appears twice in string.sub(s, i + 1, i + 1): it must be free of side effects.
          const index = node.arguments[0];
          if (!ts.isIdentifier(index) && !ts.isNumericLiteral(index) && !ts.isPropertyAccessExpression(index)) {
            const { line } = node.getSourceFile().getLineAndCharacterOfPosition(node.getStart());
            throw new Error(
              `${node.getSourceFile().fileName}:${line + 1}: charAt(...) needs a variable or literal index ` +
                "(the dialect plugin evaluates it twice); assign it to a const first",
            );
          }
          return stringCall("sub", [target, plusOne(args[0]), plusOne(args[0])], node);
        }
        return stringCall("sub", args.length === 2 ? [target, plusOne(args[0]), args[1]] : [target, plusOne(args[0])], node);
      }
      return context.superTransformExpression(node);
    },
  },
};

module.exports = plugin;
