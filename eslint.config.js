// ESLint flat config: dialect rules for shared TypeScript (dialect.md §7), recommended rules for host JavaScript.

import js from "@eslint/js";
import { dialectConfigs, espruinoAdapterOverride, nodeMcuAdapterOverride } from "./tools/dialect/eslint-dialect-config.js";
import { firmwareProjects } from "./tools/dialect/firmware-projects.js";

const root = import.meta.dirname;

const firmware = firmwareProjects(root);

// Firmware files no firmware tsconfig includes: the root tsconfig.json as the default project.
const firmwareFallback = {
  projectService: { allowDefaultProject: ["firmware/*.ts", "firmware/*/*.ts", "firmware/*/*/*.ts"], defaultProject: "tsconfig.json" },
  tsconfigRootDir: root,
};

const nodeGlobals = Object.fromEntries([
  "process", "console", "Buffer", "setTimeout", "clearTimeout", "setInterval", "clearInterval",
  "setImmediate", "clearImmediate", "queueMicrotask", "URL", "TextEncoder", "TextDecoder", "AbortController", "performance",
].map((name) => [name, "readonly"]));

const commonJsGlobals = Object.fromEntries(
  ["require", "module", "exports", "__dirname", "__filename"].map((name) => [name, "readonly"]));

export default [
  { name: "nats-mcu/ignores", ignores: ["build/**", "**/node_modules/**", "test/dialect/planted/**"] },

  ...dialectConfigs({ files: ["src/**/*.ts"], parserOptions: { projectService: true, tsconfigRootDir: root } }),
  // the test builds' stand-ins for the adapter and the client are dialect code too (compiled to JS and Lua)
  ...dialectConfigs({ files: ["test/build/*.ts"], parserOptions: { project: ["test/build/tsconfig.json"], tsconfigRootDir: root } }),
  ...dialectConfigs({ files: ["firmware/**/*.ts"], ignores: firmware.files, parserOptions: firmwareFallback }),
  ...(firmware.files.length > 0
    ? dialectConfigs({ files: firmware.files, parserOptions: { project: firmware.tsconfigs, tsconfigRootDir: root } })
    : []),
  nodeMcuAdapterOverride(["firmware/nodemcu/**/*.ts", "firmware/**/nodemcu*.ts"]),
  espruinoAdapterOverride(["firmware/espruino/**/*.ts"]),

  {
    name: "nats-mcu/host-javascript",
    files: ["sim/**/*.js", "tools/**/*.js", "test/**/*.js", "bench/**/*.js", "*.js", "**/*.mjs"],
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: nodeGlobals },
    rules: js.configs.recommended.rules,
  },
  {
    name: "nats-mcu/host-commonjs",
    files: ["**/*.cjs"],
    languageOptions: { ecmaVersion: "latest", sourceType: "commonjs", globals: { ...nodeGlobals, ...commonJsGlobals } },
    rules: js.configs.recommended.rules,
  },
];
