// Paths of a board's built files, building the boards whose files are missing.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./boards.js";
import { build } from "./build/build.js";

export function boardDir(name) {
  return join(ROOT, "build", name);
}

function isBuilt(name) {
  const manifest = join(boardDir(name), "manifest.json");
  if (!existsSync(manifest)) return false;
  const { files } = JSON.parse(readFileSync(manifest, "utf8"));
  return files.every((f) => existsSync(join(boardDir(name), f.name)));
}

/** Build whichever of the named boards has no complete build yet; returns the names it built. */
export async function ensureBuilt(names) {
  const missing = [...new Set(names)].filter((n) => !isBuilt(n));
  if (missing.length > 0) await build(missing);
  return missing;
}
