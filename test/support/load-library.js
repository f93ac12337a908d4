// Loads a built Espruino library file the way Espruino's module loader does: the file text run in a
// function scope with only `exports` defined (no require, module or process).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { ROOT } from "../../tools/boards.js";

export function libraryPath(board) {
  return join(ROOT, "build", board, "nats-mcu.js");
}

/** The exports of build/<board>/nats-mcu.js; fails with the build command when it is missing. */
export function loadEspruinoLibrary(board) {
  let source;
  try {
    source = readFileSync(libraryPath(board), "latin1");
  } catch {
    throw new Error(`${libraryPath(board)} is missing: run npm run build first`);
  }
  const context = vm.createContext({});
  const load = vm.runInContext(`(function (exports) {\n${source}\n})`, context, { filename: libraryPath(board), lineOffset: -1 });
  const exports = vm.runInContext("({})", context);
  load(exports);
  return exports;
}
