// String values must be ASCII: TSTL writes any char > 0x7F (even "\xff") as UTF-8, so Lua
// sees 2-3 bytes where JS and Espruino see one char (dialect.md §4).

const NON_ASCII = /[\u0080-\uffff]/;

export default {
  meta: {
    type: "problem",
    docs: { description: "Disallow non-ASCII characters in string and template literals" },
    schema: [],
    messages: {
      nonAscii: "non-ASCII string literal: strings are 8-bit on both targets and TSTL re-encodes chars > 0x7F as UTF-8 (dialect.md §4); build bytes with String.fromCharCode in a platform function",
    },
  },
  create(context) {
    return {
      Literal(node) {
        if (typeof node.value === "string" && NON_ASCII.test(node.value)) context.report({ node, messageId: "nonAscii" });
      },
      TemplateElement(node) {
        if (NON_ASCII.test(node.value.cooked ?? node.value.raw)) context.report({ node, messageId: "nonAscii" });
      },
    };
  },
};
