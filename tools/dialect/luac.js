// Runs the desktop Lua compilers (Debian lua5.1/lua5.3 packages) on source text given on stdin.
import { spawnSync } from "node:child_process";

const PACKAGE_OF = { "luac5.1": "lua5.1", "luac5.3": "lua5.3" };

/** @returns {{status: number, stdout: string, stderr: string}} throws when the compiler is missing */
export function runLuac(compiler, args, source) {
  const result = spawnSync(compiler, [...args, "-"], { input: Buffer.from(source, "utf8"), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error?.code === "ENOENT") {
    throw new Error(`${compiler} not found: install it with: apt-get install -y ${PACKAGE_OF[compiler] ?? compiler}`);
  }
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A parse-only compile; undefined when it compiles, else {message, line}. */
export function compileError(compiler, source) {
  const { status, stderr } = runLuac(compiler, ["-p"], source);
  if (status === 0) return undefined;
  const message = stderr.trim().replace(/^luac[\d.]*: /, "");
  const line = /^stdin:(\d+):/.exec(message);
  return { message, line: line ? Number(line[1]) : 0 };
}

/** The `luac -l -l` listing (code, constants, locals, upvalues of every function). */
export function listing(compiler, source) {
  const { status, stdout, stderr } = runLuac(compiler, ["-l", "-l", "-o", "/dev/null"], source);
  if (status !== 0) throw new Error(`${compiler} -l failed: ${stderr.trim()}`);
  return stdout;
}
