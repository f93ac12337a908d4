// Local ESLint plugin with the dialect rules that no stock rule or selector expresses (dialect.md §7).

import asciiStrings from "./rules/ascii-strings.js";
import integerLiteral from "./rules/integer-literal.js";
import maxModuleLocals from "./rules/max-module-locals.js";
import noArrayHoles from "./rules/no-array-holes.js";
import noArrayLualibMethod from "./rules/no-array-lualib-method.js";
import noFunctionInLoop from "./rules/no-function-in-loop.js";

export default {
  meta: { name: "nats-mcu-dialect", version: "1.0.0" },
  rules: {
    "ascii-strings": asciiStrings,
    "integer-literal": integerLiteral,
    "max-module-locals": maxModuleLocals,
    "no-array-holes": noArrayHoles,
    "no-array-lualib-method": noArrayLualibMethod,
    "no-function-in-loop": noFunctionInLoop,
  },
};
