// Flat-config objects that lint dialect TypeScript (dialect.md §7). Shared by the root
// eslint.config.js and test/dialect, which lints planted samples with its own tsconfig.

import tseslint from "typescript-eslint";
import dialectPlugin from "./eslint-plugin.js";
import { restrictedGlobals } from "./restricted-globals.js";
import { restrictedSyntax, restrictedSyntaxEspruinoAdapter, restrictedSyntaxNodeMcuAdapter } from "./restricted-syntax.js";

export const dialectRules = {
  "@typescript-eslint/strict-boolean-expressions": ["error", {
    allowString: false, allowNumber: false, allowNullableObject: true,
    allowNullableBoolean: false, allowNullableString: false, allowNullableNumber: false,
    allowNullableEnum: false, allowAny: false,
  }],
  eqeqeq: ["error", "always"],
  "@typescript-eslint/no-explicit-any": "error",
  "@typescript-eslint/restrict-plus-operands": ["error", {
    allowAny: false, allowBoolean: false, allowNullish: false, allowNumberAndString: true,
    allowRegExp: false, skipCompoundAssignments: false,
  }],
  "@typescript-eslint/restrict-template-expressions": ["error", {
    allow: [], allowAny: false, allowArray: false, allowBoolean: false, allowNever: false,
    allowNullish: false, allowNumber: true, allowRegExp: false,
  }],
  // Espruino does not hoist function declarations (espruino.md §1): functions count too.
  "@typescript-eslint/no-use-before-define": ["error", {
    functions: true, classes: true, variables: true, enums: true,
    typedefs: false, ignoreTypeReferences: true, allowNamedExports: false,
  }],
  "no-labels": "error",
  "no-var": "error",
  "prefer-const": "error",
  "@typescript-eslint/no-loop-func": "error",
  "no-restricted-globals": ["error", ...restrictedGlobals],
  "no-restricted-syntax": ["error", ...restrictedSyntax],
  "dialect/no-function-in-loop": "error",
  "dialect/integer-literal": "error",
  "dialect/ascii-strings": "error",
  "dialect/no-array-holes": "error",
  "dialect/no-array-lualib-method": "error",
  "dialect/max-module-locals": ["error", { max: 40 }],
};

/**
 * @param {object} options
 * @param {string[]} options.files globs of dialect TypeScript files
 * @param {string[]} [options.ignores] globs to leave out
 * @param {object} options.parserOptions typescript-eslint parserOptions (projectService or project, tsconfigRootDir)
 */
export function dialectConfigs({ files, ignores = [], parserOptions }) {
  return [
    {
      name: "nats-mcu/dialect-typescript",
      files,
      ignores,
      languageOptions: { parser: tseslint.parser, parserOptions, sourceType: "module" },
      plugins: { "@typescript-eslint": tseslint.plugin, dialect: dialectPlugin },
      rules: dialectRules,
    },
  ];
}

// Adapters may use target features (dialect.md intro); the NodeMCU one destructures LuaMultiReturn calls.
export function espruinoAdapterOverride(files) {
  return { name: "nats-mcu/espruino-adapter", files, rules: { "no-restricted-syntax": ["error", ...restrictedSyntaxEspruinoAdapter] } };
}

export function nodeMcuAdapterOverride(files) {
  return { name: "nats-mcu/nodemcu-adapter", files, rules: { "no-restricted-syntax": ["error", ...restrictedSyntaxNodeMcuAdapter] } };
}
