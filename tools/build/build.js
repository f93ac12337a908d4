// `nats-mcu build [board…] [--profile p]`: per board and profile, the library in
// build/<board>/<profile>/ (the board's default profile also in build/<board>/), the board apps, and
// manifest.json; each file checked against what the target runtime lacks and against the board's
// budgets (boards.json), then a size table.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT, loadBoards } from "../boards.js";
import { checkEspruinoJs } from "../dialect/check-espruino.js";
import { checkNodeMcuLua } from "../dialect/check-lua.js";
import { buildEspruinoJs } from "./build-js.js";
import { buildNodeMcuLua } from "./build-lua.js";
import { minifyLua } from "./minify-lua.js";
import { APP_PROFILES, PROFILE_NAMES } from "./profiles.js";
import { strippedBytecodeBytes } from "./sizes.js";
import { stageBuild } from "./stage.js";
import { checkBudgets } from "./budgets.js";
import { jsVarsLoad } from "../jsvars.js";

export const JS_FILE = "nats-mcu.js";
export const LUA_FILE = "nats_mcu.lua";
/** The board apps in firmware/apps/, built for every board next to the library. */
export const APPS = Object.keys(APP_PROFILES);

function failOnViolations(file, violations) {
  if (violations.length > 0) {
    const lines = violations.map((v) => `  ${relative(ROOT, file)}:${v.line ?? "?"}: [${v.rule}] ${v.message}`);
    throw new Error(`the emitted code breaks the dialect:\n${lines.join("\n")}`);
  }
}

async function buildEspruinoFile(stage, file, options) {
  const js = await buildEspruinoJs(stage, options);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, js, "latin1");
  failOnViolations(file, checkEspruinoJs(js, file));
  return { bytes: Buffer.byteLength(js, "latin1") };
}

function buildLuaFile(stage, file, options) {
  const lua = minifyLua(buildNodeMcuLua(stage, options));
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, lua, "latin1");
  failOnViolations(file, checkNodeMcuLua(lua, file));
  return {
    bytes: Buffer.byteLength(lua, "latin1"),
    strippedBytecode: {
      "luac5.1": strippedBytecodeBytes("luac5.1", file),
      "luac5.3": strippedBytecodeBytes("luac5.3", file),
    },
  };
}

/** The library of one board and profile ("lib"), or a test build ("test", "parser"), into file. */
export async function buildLibrary(name, board, profile, kind, file) {
  const stage = stageBuild(name, board, profile, kind);
  const entry = { lib: "src/index.ts", test: "src/test-entry.ts", parser: "src/parser-entry.ts" }[kind];
  if (board.runtime === "espruino") {
    const f = await buildEspruinoFile(stage, file, { entry, declarations: ["src/espruino.d.ts"] });
    if (kind !== "lib") return f;
    // JsVars once loaded (sim/espruino/memory.js, calibrated to espruino.md §5): on the ESP32 layout as the
    // espruino CLI loads a module (the budgets' measure), and on the board's own layout, cached and from Storage.
    const js = readFileSync(file, "latin1");
    const load = (bytesPerUnit, method) => jsVarsLoad(js, { bytesPerUnit, method, id: "nats-mcu" });
    const esp32 = load(14, "cached");
    const own = (method) => {
      const r = load(board.memory.bytesPerUnit, method);
      return { vars: r.resident, fits: r.baseline + r.peak <= board.memory.budget };
    };
    return { ...f, jsvars: esp32.resident, onBoard: { cached: own("cached"), storage: own("storage") } };
  }
  // Only what the entry imports: a profile's build leaves the other files out.
  return buildLuaFile(stage, file, { entry, include: [entry, "src/nodemcu.d.ts"], bundle: LUA_FILE });
}

async function buildBoard(name, board, profiles) {
  const outDir = join(ROOT, "build", name);
  mkdirSync(outDir, { recursive: true });
  const manifest = { board: name, runtime: board.runtime, chip: board.chip, profile: board.profile, files: [] };
  const lib = board.runtime === "espruino" ? JS_FILE : LUA_FILE;
  if (board.runtime === "nodemcu") {
    manifest.lua = board.lua;
    manifest.numbers = board.numbers;
  }
  for (const profile of profiles) {
    const f = await buildLibrary(name, board, profile, "lib", join(outDir, profile, lib));
    manifest.files.push({ name: `${profile}/${lib}`, profile, ...f });
    if (profile === board.profile) copyFileSync(join(outDir, profile, lib), join(outDir, lib));
  }
  const stage = stageBuild(name, board, "full", "lib");
  const apps = (app) => `firmware/apps/${app}`;
  for (const app of APPS) {
    if (board.runtime === "espruino") {
      const f = await buildEspruinoFile(stage, join(outDir, `${app}.js`), {
        entry: `${apps(app)}/espruino.ts`,
        declarations: ["firmware/apps/nats-api.d.ts", "firmware/apps/espruino-api.d.ts"],
      });
      manifest.files.push({ name: `${app}.js`, app, ...f });
    } else {
      const f = buildLuaFile(stage, join(outDir, `${app}.lua`), {
        entry: `${apps(app)}/nodemcu.ts`,
        include: ["firmware/apps/nats-api.d.ts", "firmware/apps/nodemcu-api.d.ts", `${apps(app)}/${app}.ts`, `${apps(app)}/nodemcu.ts`, "firmware/apps/nodemcu-wifi.ts", "firmware/apps/platform.ts", "firmware/apps/nodemcu-platform.ts", "firmware/nodemcu/nodemcu.d.ts", "firmware/nodemcu/clock.ts"],
        bundle: `${app}.lua`,
        external: ["nats_mcu", "config"],
      });
      manifest.files.push({ name: `${app}.lua`, app, ...f });
    }
  }
  writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/** The size table printed after a build. */
export function sizeTable(manifests) {
  const rows = [["board", "runtime", "file", "bytes", "luac5.1 -s", "luac5.3 -s", "JsVars (ESP32, CLI)", "on board: CLI / Storage"]];
  const onBoard = (o) => (o === undefined ? "-" : [o.cached, o.storage].map((x) => (x.fits ? String(x.vars) : "out of memory")).join(" / "));
  for (const m of manifests) {
    for (const f of m.files) {
      const bc = f.strippedBytecode;
      rows.push([m.board, m.runtime + (m.lua ? ` (Lua ${m.lua}, ${m.numbers})` : ""), f.name, String(f.bytes), bc ? String(bc["luac5.1"]) : "-",
        bc ? String(bc["luac5.3"]) : "-", f.jsvars === undefined ? "-" : String(f.jsvars), onBoard(f.onBoard)]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ")).join("\n");
}

/** Build the named boards (all when none are named) in every profile, or in `profile` alone. */
export async function build(names = [], { profile } = {}) {
  const boards = loadBoards();
  const unknown = names.filter((n) => !(n in boards));
  if (unknown.length > 0) {
    throw new Error(`unknown board ${unknown.join(", ")}; boards.json has: ${Object.keys(boards).join(", ")}`);
  }
  if (profile !== undefined && !PROFILE_NAMES.includes(profile)) {
    throw new Error(`unknown profile "${profile}"; profiles: ${PROFILE_NAMES.join(", ")}`);
  }
  const selected = names.length > 0 ? names : Object.keys(boards);
  const manifests = [];
  for (const name of selected) {
    const m = await buildBoard(name, boards[name], profile !== undefined ? [profile] : PROFILE_NAMES);
    checkBudgets(m, boards[name]);
    manifests.push(m);
  }
  return manifests;
}
