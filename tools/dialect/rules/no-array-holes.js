// Arrays must be hole-free: Lua's `#` stops at the first nil, and TSTL refuses
// `[1, undefined, 3]` (dialect.md §1, §4).

export default {
  meta: {
    type: "problem",
    docs: { description: "Disallow holes and undefined elements in array literals" },
    schema: [],
    messages: {
      hole: "array hole: Lua `#` stops at a hole, so length differs (dialect.md §4); list every element",
      undefinedElement: "`undefined` array element: it is nil in Lua, so `#` stops there and TSTL rejects it (dialect.md §1, §4)",
    },
  },
  create(context) {
    return {
      ArrayExpression(node) {
        for (const element of node.elements) {
          if (element === null) context.report({ node, messageId: "hole" });
          else if (element.type === "Identifier" && element.name === "undefined") context.report({ node: element, messageId: "undefinedElement" });
        }
      },
    };
  },
};
