// TSTL lualib features and the names they export (`__TS__StringSplit`, `Map`, `Error`…), read from
// typescript-to-lua's own lualib_module_info.json so the names match the installed TSTL (1.37.1).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

function loadModuleInfo() {
  const tstlRoot = dirname(require.resolve("typescript-to-lua/package.json"));
  return JSON.parse(readFileSync(join(tstlRoot, "dist", "lualib", "universal", "lualib_module_info.json"), "utf8"));
}

const moduleInfo = loadModuleInfo();

/** Feature name for an exported lualib name, e.g. `__TS__ArrayPush` → `ArrayPush`, `RangeError` → `Error`. */
export const featureOfExport = new Map(
  Object.entries(moduleInfo).flatMap(([feature, info]) => info.exports.map((name) => [name, feature])));

/** Exported names of the allowed features and of everything they depend on. */
export function allowedExports(allowedFeatures) {
  const features = new Set();
  const add = (feature) => {
    if (features.has(feature)) return;
    const info = moduleInfo[feature];
    if (info === undefined) throw new Error(`unknown lualib feature "${feature}" in allowedLualib`);
    features.add(feature);
    for (const dependency of info.dependencies ?? []) add(dependency);
  };
  for (const feature of allowedFeatures) add(feature);
  return new Set([...features].flatMap((feature) => moduleInfo[feature].exports));
}
