// TypeScriptToLua plugin for the nats-mcu dialect (shared/docs/dialect.md §2): inline the string
// operations the core uses instead of pulling lualib helpers, and emit a string concatenation chain
// a + b + c as Lua's right-associative a .. b .. c, one CONCAT instruction and one new string (TSTL
// emits ((a .. b) .. c): a temporary string per step). Like the dialect, it assumes in-range,
// non-negative integer indices: charCodeAt(i) → string.byte(s, i + 1) (no NaN fallback; i + n + 1 and
// i - n + 1 folded to one term),
// charAt(i) → string.sub(s, i + 1, i + 1), substring(a[, b]) / slice(a[, b]) → string.sub(s, a + 1[, b]).
const ts = require("typescript");
const tstl = require("typescript-to-lua");

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

const INLINED = new Set(["charCodeAt", "charAt", "substring", "slice"]);

/** @type {import("typescript-to-lua").Plugin} */
const plugin = {
  visitors: {
    [ts.SyntaxKind.BinaryExpression](node, context) {
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
