// Estimates the Lua locals a module's main chunk gets from TSTL: NodeMCU 5.1 allows 50 per
// function, main chunk included, and the dialect keeps ~10 spare for lualib imports (dialect.md §4, nodemcu.md §3).

const DEFAULT_MAX = 40;

// TSTL: `export const/function` become fields of ____exports, not locals; exported classes stay locals.
function localsOfStatement(statement, exported) {
  switch (statement.type) {
    case "VariableDeclaration":
      return exported ? 0 : statement.declarations.length;
    case "FunctionDeclaration":
      return exported ? 0 : 1;
    case "ClassDeclaration":
      return 1;
    case "TSEnumDeclaration":
      return statement.const === true ? 0 : 1;
    case "ImportDeclaration": {
      if (statement.importKind === "type") return 0;
      const values = statement.specifiers.filter((s) => s.importKind !== "type");
      if (values.length === 1 && values[0].type === "ImportNamespaceSpecifier") return 1; // `local m = require(...)`
      return values.length === 0 ? 0 : 1 + values.length; // `local ____m = require(...)` + one per name
    }
    case "ExportNamedDeclaration":
      return statement.declaration ? localsOfStatement(statement.declaration, true) : 0;
    default:
      return 0;
  }
}

export default {
  meta: {
    type: "problem",
    docs: { description: "Limit module-level declarations that become Lua locals" },
    schema: [{ type: "object", properties: { max: { type: "integer", minimum: 1 } }, additionalProperties: false }],
    messages: {
      tooMany: "about {{count}} module-level Lua locals (max {{max}}): NodeMCU 5.1 allows 50 locals per function, main chunk included (dialect.md §4, nodemcu.md §3); split the file",
    },
  },
  create(context) {
    const max = context.options[0]?.max ?? DEFAULT_MAX;
    return {
      Program(node) {
        const count = 1 + node.body.reduce((sum, statement) => sum + localsOfStatement(statement, false), 0); // + ____exports
        if (count > max) context.report({ node, loc: { line: 1, column: 0 }, messageId: "tooMany", data: { count: String(count), max: String(max) } });
      },
    };
  },
};
