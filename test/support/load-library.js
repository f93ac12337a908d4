// Loads a built Espruino library file the way Espruino's module loader does: the file text run in a
// function scope with only `exports` defined (no require, module or process). Each call loads anew, so
// the module-level state of the core starts fresh.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { ROOT } from "../../tools/boards.js";

export function libraryPath(board, profile) {
  return profile === undefined ? join(ROOT, "build", board, "nats-mcu.js") : join(ROOT, "build", board, profile, "nats-mcu.js");
}

/** The exports of a built JS file; fails with the build command when it is missing. */
export function loadBuild(file) {
  let source;
  try {
    source = readFileSync(file, "latin1");
  } catch {
    throw new Error(`${file} is missing: run npm test (it builds the test libraries) or npm run build`);
  }
  const context = vm.createContext({});
  const load = vm.runInContext(`(function (exports) {\n${source}\n})`, context, { filename: file, lineOffset: -1 });
  const exports = vm.runInContext("({})", context);
  load(exports);
  return exports;
}

export function loadEspruinoLibrary(board, profile) {
  return loadBuild(libraryPath(board, profile));
}
