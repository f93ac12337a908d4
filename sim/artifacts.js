// Paths of a board's built files, building the boards whose files are missing or older than their
// sources (src/, firmware/, boards.json).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../tools/boards.js";
import { build } from "../tools/build/build.js";

export function boardDir(name) {
  return join(ROOT, "build", name);
}

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, f) => Math.max(m, newestMtime(join(path, f))), 0);
}

function isBuilt(name, sourcesMtime) {
  const manifest = join(boardDir(name), "manifest.json");
  if (!existsSync(manifest) || statSync(manifest).mtimeMs < sourcesMtime) return false;
  const { files } = JSON.parse(readFileSync(manifest, "utf8"));
  return files.every((f) => existsSync(join(boardDir(name), f.name)));
}

/** Build whichever of the named boards has no up-to-date build; returns the names it built. */
export async function ensureBuilt(names) {
  const sources = Math.max(...["src", "firmware", "boards.json"].map((p) => newestMtime(join(ROOT, p))));
  const missing = [...new Set(names)].filter((n) => !isBuilt(n, sources));
  if (missing.length > 0) await build(missing);
  return missing;
}
