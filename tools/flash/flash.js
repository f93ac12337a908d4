// `nats-mcu flash <board> --port …`: builds what is missing, checks the board's budgets, writes the
// app's config (board id, broker, Wi-Fi) to the board's own files, uploads through the runtime's
// uploader (flash/espruino.js: the espruino npm package; flash/nodemcu.js: the Lua console), resets the
// board and waits until the app reports that it connected. Real ports and simulated boards' tcp://
// consoles take the same path.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, loadBoards } from "../boards.js";
import { build } from "../build/build.js";
import { checkBudgets } from "../build/budgets.js";
import { APP_PROFILES, PROFILE_NAMES } from "../build/profiles.js";
import { flashEspruino } from "./espruino.js";
import { flashNodeMcu, initLua } from "./nodemcu.js";
import { luaTable } from "./lua-table.js";

/** The git-ignored file flash reads when --config is not given and it exists in the working directory. */
export const DEFAULT_CONFIG = "nats-mcu.config.json";
const CONFIG_KEYS = ["server", "id", "ssid", "password", "interval"];
// What the board apps print (firmware/apps/metrics/metrics.ts: "status <event> <detail>").
const CONNECTED = /^status connect\b/;
const FAILED = /^status close\b|^Uncaught|^OUT OF MEMORY|^PANIC|^refused /;

/** Flags over the config file over defaults; every key checked. */
export function flashSettings(options, cwd = process.cwd()) {
  const file = options.config ?? (existsSync(join(cwd, DEFAULT_CONFIG)) ? join(cwd, DEFAULT_CONFIG) : undefined);
  let fromFile = {};
  if (file !== undefined) {
    try {
      fromFile = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`--config ${file}: ${e.message}`, { cause: e });
    }
    const unknown = Object.keys(fromFile).filter((k) => !CONFIG_KEYS.includes(k));
    if (unknown.length > 0) throw new Error(`--config ${file}: unknown key ${unknown.join(", ")} (known: ${CONFIG_KEYS.join(", ")})`);
  }
  const pick = (key) => options[key] ?? fromFile[key];
  const server = pick("server") ?? process.env.NATS_URL;
  if (typeof server !== "string" || !/^nats:\/\/[^\s/]+$/.test(server)) {
    throw new Error(`the board needs a broker URL: --server nats://host:port (or "server" in --config), got ${JSON.stringify(server)}`);
  }
  const interval = Number(pick("interval") ?? 1000);
  if (!(Number.isInteger(interval) && interval >= 10)) throw new Error(`--interval must be a whole number of ms ≥ 10, got ${pick("interval")}`);
  const id = String(pick("id") ?? options.board);
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`--id must be 1–32 letters, digits, "-" or "_" (it is a subject token), got ${JSON.stringify(id)}`);
  const ssid = pick("ssid");
  const password = pick("password");
  if (password !== undefined && ssid === undefined) throw new Error("--password given without --ssid");
  return { server, interval, id, ssid, password, configFile: file };
}

/** The board's files for the profile, built if missing, checked against its budgets. */
export async function flashArtifacts(boardName, board, app, profile) {
  const needed = APP_PROFILES[app];
  if (needed === undefined) throw new Error(`unknown app "${app}"; apps: ${Object.keys(APP_PROFILES).join(", ")}`);
  const chosen = profile ?? needed;
  if (!PROFILE_NAMES.includes(chosen)) throw new Error(`unknown profile "${chosen}"; profiles: ${PROFILE_NAMES.join(", ")}`);
  if (PROFILE_NAMES.indexOf(chosen) < PROFILE_NAMES.indexOf(needed)) {
    throw new Error(`app ${app} needs profile ${needed} or larger (it subscribes); --profile ${chosen} lacks it`);
  }
  const dir = join(ROOT, "build", boardName);
  const manifestFile = join(dir, "manifest.json");
  const js = board.runtime === "espruino";
  const lib = join(dir, chosen, js ? "nats-mcu.js" : "nats_mcu.lua");
  const appFile = join(dir, js ? `${app}.js` : `${app}.lua`);
  if (![manifestFile, lib, appFile].every(existsSync)) await build([boardName]);
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  checkBudgets(manifest, board); // a build made before the budgets changed must not reach a board
  const entry = manifest.files.find((f) => f.name === `${chosen}/${js ? "nats-mcu.js" : "nats_mcu.lua"}`);
  return { profile: chosen, lib, appFile, entry };
}

/** The app's config as the app reads it on each runtime. */
function appConfig(settings, runtime) {
  const cfg = { boardId: settings.id, servers: settings.server, intervalMs: settings.interval };
  if (settings.ssid !== undefined) cfg.ssid = settings.ssid;
  // each runtime's own Wi-Fi API names the password differently (Wifi.connect / wifi.sta.config)
  if (settings.password !== undefined) cfg[runtime === "espruino" ? "password" : "pwd"] = settings.password;
  return cfg;
}

/**
 * Flash one board. options: { board, port, app, profile, server, id, ssid, password, interval, config,
 * timeoutMs, onProgress(sent, total), onLine(line), onStep(text) }. Resolves with what the board reported.
 */
export async function flash(options) {
  const boards = loadBoards();
  const board = boards[options.board];
  if (board === undefined) throw new Error(`unknown board "${options.board}"; boards.json has: ${Object.keys(boards).join(", ")}`);
  if (typeof options.port !== "string" || options.port === "") {
    throw new Error("--port is required: a serial device (e.g. /dev/ttyUSB0) or tcp://host:port (a networked or simulated board's console)");
  }
  const app = options.app ?? "metrics";
  const settings = flashSettings(options);
  const step = options.onStep ?? (() => {});
  const { profile, lib, appFile, entry } = await flashArtifacts(options.board, board, app, options.profile);
  const common = {
    port: options.port,
    board,
    boardName: options.board,
    connectedPattern: CONNECTED,
    failedPattern: FAILED,
    timeoutMs: options.timeoutMs ?? 30000,
    onProgress: options.onProgress,
    onLine: options.onLine,
  };
  const config = appConfig(settings, board.runtime);
  if (board.runtime === "espruino") {
    // A CLI-style cached module when it fits the board's JsVars, else a Storage module (espruino.md §5).
    const libraryMethod = entry?.onBoard?.cached?.fits === false ? "storage" : "cached";
    step(`${options.board}: ${profile} library ${entry.bytes} B as ${libraryMethod === "storage" ? "a Storage module" : "a cached module"}, app ${app}, board id ${settings.id}`);
    const r = await flashEspruino({
      ...common,
      libraryPath: lib,
      libraryMethod,
      appPath: appFile,
      files: [{ name: `${app}.json`, data: JSON.stringify(config) }],
    });
    return { runtime: "espruino", profile, libraryMethod, id: settings.id, free: r.jsvarsFree, total: r.jsvarsTotal, unit: "JsVars", lines: r.lines };
  }
  step(`${options.board}: ${profile} library ${entry.bytes} B, app ${app}, board id ${settings.id}`);
  const r = await flashNodeMcu({
    ...common,
    files: [
      { name: "nats_mcu.lua", data: readFileSync(lib) },
      { name: `${app}.lua`, data: readFileSync(appFile) },
      { name: "config.lua", data: `return ${luaTable(config)}\n` },
      { name: "init.lua", data: initLua(app) },
    ],
    compile: ["nats_mcu.lua", `${app}.lua`, "config.lua"],
  }).catch((e) => {
    // node.compile needs the whole source's parse tree in RAM; a ~40 KB ESP8266 heap does not hold it (nodemcu.md §8)
    if (/not enough memory/.test(e.message)) {
      throw new Error(`${e.message}\n${options.board} has too little heap to compile the library on the board; it needs the library in LFS: build an image off-device with NodeMCU's luac.cross -f (nodemcu.md §8) and load it with node.LFS.reload`, { cause: e });
    }
    throw e;
  });
  return { runtime: "nodemcu", profile, id: settings.id, free: r.heapFree, unit: "bytes of Lua heap", lines: r.lines };
}
