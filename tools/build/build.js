// `nats-mcu build [board…]`: per board, the library file(s) and manifest.json in build/<board>/,
// each checked against what the target runtime lacks, then a size table.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT, loadBoards } from "../boards.js";
import { checkEspruinoJs } from "../dialect/check-espruino.js";
import { checkNodeMcuLua } from "../dialect/check-lua.js";
import { buildEspruinoJs } from "./build-js.js";
import { buildNodeMcuLua } from "./build-lua.js";
import { strippedBytecodeBytes } from "./sizes.js";
import { stageBoard } from "./stage.js";

export const JS_FILE = "nats-mcu.js";
export const LUA_FILE = "nats_mcu.lua";
/** The board apps in firmware/apps/, built for every board next to the library. */
export const APPS = ["metrics", "probe"];

function failOnViolations(file, violations) {
  if (violations.length > 0) {
    const lines = violations.map((v) => `  ${relative(ROOT, file)}:${v.line ?? "?"}: [${v.rule}] ${v.message}`);
    throw new Error(`the emitted code breaks the dialect:\n${lines.join("\n")}`);
  }
}

async function buildEspruinoFile(stage, outDir, name, options) {
  const js = await buildEspruinoJs(stage, options);
  const file = join(outDir, name);
  writeFileSync(file, js);
  failOnViolations(file, checkEspruinoJs(js, file));
  return { name, bytes: Buffer.byteLength(js, "latin1") };
}

function buildLuaFile(stage, outDir, name, options) {
  const lua = buildNodeMcuLua(stage, { ...options, bundle: name });
  const file = join(outDir, name);
  writeFileSync(file, lua);
  failOnViolations(file, checkNodeMcuLua(lua, file));
  return {
    name,
    bytes: Buffer.byteLength(lua, "latin1"),
    strippedBytecode: {
      "luac5.1": strippedBytecodeBytes("luac5.1", file),
      "luac5.3": strippedBytecodeBytes("luac5.3", file),
    },
  };
}

async function buildBoard(name, board) {
  const stage = stageBoard(name, board);
  const outDir = join(ROOT, "build", name);
  mkdirSync(outDir, { recursive: true });
  const manifest = { board: name, runtime: board.runtime, chip: board.chip, files: [] };
  const apps = (app) => `firmware/apps/${app}`;
  if (board.runtime === "espruino") {
    manifest.files.push(
      await buildEspruinoFile(stage, outDir, JS_FILE, {
        entry: "firmware/espruino/index.ts",
        declarations: ["firmware/espruino/espruino.d.ts"],
      }),
    );
    for (const app of APPS) {
      manifest.files.push(
        await buildEspruinoFile(stage, outDir, `${app}.js`, {
          entry: `${apps(app)}/espruino.ts`,
          declarations: ["firmware/apps/nats-api.d.ts", "firmware/apps/espruino-api.d.ts"],
        }),
      );
    }
  } else {
    manifest.lua = board.lua;
    manifest.numbers = board.numbers;
    manifest.files.push(
      buildLuaFile(stage, outDir, LUA_FILE, {
        entry: "firmware/nodemcu/index.ts",
        include: ["src/**/*.ts", "firmware/nodemcu/*.ts"],
      }),
    );
    for (const app of APPS) {
      manifest.files.push(
        buildLuaFile(stage, outDir, `${app}.lua`, {
          entry: `${apps(app)}/nodemcu.ts`,
          include: ["firmware/apps/nats-api.d.ts", "firmware/apps/nodemcu-api.d.ts", `${apps(app)}/${app}.ts`, `${apps(app)}/nodemcu.ts`, "firmware/apps/nodemcu-wifi.ts", "firmware/apps/platform.ts", "firmware/apps/nodemcu-platform.ts", "firmware/nodemcu/nodemcu.d.ts", "firmware/nodemcu/clock.ts"],
          external: ["nats_mcu", "config"],
        }),
      );
    }
  }
  writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/** The size table printed after a build. */
export function sizeTable(manifests) {
  const rows = [["board", "runtime", "file", "bytes", "luac5.1 -s", "luac5.3 -s"]];
  for (const m of manifests) {
    for (const f of m.files) {
      const bc = f.strippedBytecode;
      rows.push([m.board, m.runtime + (m.lua ? ` (Lua ${m.lua}, ${m.numbers})` : ""), f.name, String(f.bytes), bc ? String(bc["luac5.1"]) : "-", bc ? String(bc["luac5.3"]) : "-"]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ")).join("\n");
}

/** Build the named boards (all when none are named); returns their manifests. */
export async function build(names = []) {
  const boards = loadBoards();
  const unknown = names.filter((n) => !(n in boards));
  if (unknown.length > 0) {
    throw new Error(`unknown board ${unknown.join(", ")}; boards.json has: ${Object.keys(boards).join(", ")}`);
  }
  const selected = names.length > 0 ? names : Object.keys(boards);
  const manifests = [];
  for (const name of selected) {
    manifests.push(await buildBoard(name, boards[name]));
  }
  return manifests;
}
