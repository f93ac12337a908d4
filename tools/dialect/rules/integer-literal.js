// Numeric literals must be integers in int32 range: integer-only NodeMCU 5.1 rejects
// float/exponent literals ("malformed number"), 5.3 int32 wraps at 2^31 (nodemcu.md §2, dialect.md §4).

const INT32_LIMIT = 2147483648;

function isNegated(node) {
  return node.parent?.type === "UnaryExpression" && node.parent.operator === "-";
}

export default {
  meta: {
    type: "problem",
    docs: { description: "Allow only integer numeric literals below 2^31" },
    schema: [],
    messages: {
      float: "non-integer literal `{{raw}}`: integer-only NodeMCU 5.1 rejects float and exponent literals and Lua 5.3 prints floats as `5.0` (dialect.md §4); use an integer",
      tooBig: "literal `{{raw}}` reaches 2^31: NodeMCU 5.3 int32 arithmetic wraps (dialect.md §4); keep values below 2^31",
      bigint: "BigInt literal `{{raw}}`: neither Espruino nor Lua has BigInt (dialect.md §3)",
    },
  },
  create(context) {
    return {
      Literal(node) {
        if (typeof node.value === "bigint" || node.bigint !== undefined) {
          context.report({ node, messageId: "bigint", data: { raw: node.raw } });
          return;
        }
        if (typeof node.value !== "number") return;
        const raw = node.raw;
        const radixPrefixed = /^0[xXbBoO]/.test(raw);
        if (!radixPrefixed && /[.eE]/.test(raw)) {
          context.report({ node, messageId: "float", data: { raw } });
        } else if (node.value > INT32_LIMIT || (node.value === INT32_LIMIT && !isNegated(node))) {
          context.report({ node, messageId: "tooBig", data: { raw } });
        }
      },
    };
  },
};
