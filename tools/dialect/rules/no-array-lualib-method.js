// Array methods that share a name with a free string method (indexOf, slice) or are array-only
// pull a TSTL lualib function per call (dialect.md §2, §4). Needs type information to tell arrays from strings.

const ARRAY_LUALIB_METHODS = new Set([
  "indexOf", "lastIndexOf", "slice", "reverse", "some", "every", "find", "findIndex",
  "fill", "at", "flat", "flatMap", "entries", "keys", "values", "toString",
]);

function isArrayLike(checker, type) {
  if (type.isUnion()) return type.types.some((member) => isArrayLike(checker, member));
  return checker.isArrayType(type) || checker.isTupleType(type);
}

export default {
  meta: {
    type: "problem",
    docs: { description: "Disallow array methods that TSTL implements in lualib", requiresTypeChecking: true },
    schema: [],
    messages: {
      arrayMethod: "array `.{{name}}()`: TSTL lualib (code size, a call per use, often an allocation) (dialect.md §2, §4); write an indexed loop",
    },
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (services?.program === undefined || services.program === null) return {};
    const checker = services.program.getTypeChecker();
    return {
      "CallExpression > MemberExpression.callee"(node) {
        const name = node.computed ? undefined : node.property.name;
        if (name === undefined || !ARRAY_LUALIB_METHODS.has(name)) return;
        const type = checker.getApparentType(services.getTypeAtLocation(node.object));
        if (isArrayLike(checker, type)) context.report({ node: node.property, messageId: "arrayMethod", data: { name } });
      },
    };
  },
};
