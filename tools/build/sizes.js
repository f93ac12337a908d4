// Byte sizes for the manifest: file sizes, and stripped Lua bytecode from luac5.1 / luac5.3 -s.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Size of `luac -s` output for a Lua file; throws with the install command when luac is missing. */
export function strippedBytecodeBytes(luac, luaFile) {
  const dir = mkdtempSync(join(tmpdir(), "nats-mcu-luac-"));
  const out = join(dir, "out.luac");
  try {
    execFileSync(luac, ["-s", "-o", out, luaFile], { stdio: ["ignore", "ignore", "pipe"] });
    return statSync(out).size;
  } catch (e) {
    if (e.code === "ENOENT") {
      const pkg = luac.replace("luac", "lua");
      throw new Error(`${luac} not found: install it with: apt-get install -y ${pkg}`, { cause: e });
    }
    throw new Error(`${luac} -s ${luaFile} failed: ${e.stderr ?? e.message}`, { cause: e });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
