// Which tsconfig lints each firmware .ts file. Firmware folders carry their own tsconfig*.json
// (tsconfig.json, tsconfig.espruino.json…); typescript-eslint's project service only finds files
// named tsconfig.json, so every firmware tsconfig is read here and the files it includes are linted
// with it as an explicit project. Other firmware files fall back to the root tsconfig.json.
import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";

function findTsconfigs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : findTsconfigs(join(dir, entry.name));
    return /^tsconfig.*\.json$/.test(entry.name) ? [join(dir, entry.name)] : [];
  });
}

function includedFiles(tsconfig) {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} };
  return ts.getParsedCommandLineOfConfigFile(tsconfig, {}, host)?.fileNames ?? [];
}

const toPosix = (path) => path.split(sep).join("/");

/**
 * @param {string} root repository root
 * @returns {{tsconfigs: string[], files: string[]}} firmware tsconfigs and the firmware .ts files
 * they include, relative to root with forward slashes
 */
export function firmwareProjects(root) {
  const firmware = join(root, "firmware");
  const tsconfigs = findTsconfigs(firmware);
  const files = new Set();
  for (const tsconfig of tsconfigs) {
    for (const file of includedFiles(tsconfig)) {
      const path = relative(root, file);
      if (path.startsWith(`firmware${sep}`) && file.endsWith(".ts")) files.add(toPosix(path));
    }
  }
  return { tsconfigs: tsconfigs.map((t) => toPosix(relative(root, t))), files: [...files].sort() };
}
