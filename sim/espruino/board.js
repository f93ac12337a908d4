// Boots one emulated Espruino board: an isolated node:vm context cut down to Espruino's built-ins
// (builtins.js), the firmware's JavaScript API (firmware.js), net sockets on node:net (net.js), the JsVar
// cost model (memory.js), timers, Storage and Wifi. Built artifacts run unchanged. Any exception that
// reaches the top level or a callback is the board's crash: "Uncaught …" is printed (espruino.md §6), the
// board stops (timers cleared, sockets destroyed) and onCrash is called. The genuine interpreter would print
// and carry on; stopping makes a crash impossible to miss.
import { performance } from "node:perf_hooks";
import vm from "node:vm";
import * as acorn from "acorn";
import { pruneBuiltins } from "./builtins.js";
import { firmware } from "./firmware.js";
import { SOCKET_VARS, WARM_UP_VARS, createMemoryModel } from "./memory.js";
import { createNetwork } from "./net.js";
import { randomStream } from "./rng.js";
import { loadTimeError } from "./static-check.js";
import { compactJson, createStorage, parseLiberalJson } from "./storage.js";
import { createTimers } from "./timers.js";

const VERSION = "2v29";
const MAX_LOG_LINES = 10_000;
const CHIPS = {
  // process.env of the genuine builds (boards/ESP32.py, boards/ESP8266_4MB.py), in jswrap_process_env's order;
  // sizes and EXPTR are indicative
  esp32: {
    BOARD: "ESP32", RAM: 524288, FLASH: 0, STORAGE: 262144,
    MODULES: "Flash,Storage,heatshrink,fs,net,dgram,http,NetworkJS,Wifi,ESP32,TelnetServer,tls,crypto,neopixel", EXPTR: 1073484860,
  },
  esp8266: {
    BOARD: "ESP8266_4MB", RAM: 81920, FLASH: 0, STORAGE: 196608,
    MODULES: "Flash,Storage,heatshrink,net,dgram,http,NetworkJS,Wifi,ESP8266,TelnetServer,crypto,neopixel", EXPTR: 1075868908,
  },
};
const EMULATED_MODULES = ["net", "Wifi", "Storage"];

// Promise rejections nobody handled: the genuine interpreter prints "Uncaught …" for them (espruino.md §6).
const liveBoards = new Set();
function onUnhandledRejection(reason, promise) {
  for (const board of liveBoards) {
    if (board.ownsPromise(promise)) return board.rejected(reason);
  }
  // not a board's promise: keep Node's default when nobody else listens
  if (process.listenerCount("unhandledRejection") === 1) throw reason;
}
function track(board, live) {
  if (live) {
    if (liveBoards.size === 0) process.on("unhandledRejection", onUnhandledRejection);
    liveBoards.add(board);
  } else if (liveBoards.delete(board) && liveBoards.size === 0) {
    process.off("unhandledRejection", onUnhandledRejection);
  }
}

function describe(error) {
  try {
    return String(error);
  } catch {
    return "[exception that cannot be printed]";
  }
}

/**
 * @param {object} options
 * @param {string} [options.id] instance id used in reports
 * @param {string} options.boardName key in boards.json
 * @param {object} options.board that boards.json entry (runtime "espruino")
 * @param {Record<string, string>} [options.modules] module sources, evaluated at boot like Modules.addCached
 * @param {string} [options.app] source of the flashed app, run at top level after the modules
 * @param {Record<string, string>} [options.storage] initial Storage files (byte strings)
 * @param {ReturnType<typeof createStorage>} [options.store] a Storage shared with earlier boots (a console board's
 *   flash, kept over reset/load); replaces `storage`
 * @param {number} [options.seed] seeds every random choice
 * @param {"saved" | "off" | "connected"} [options.wifi] "saved": the board joins a saved network after boot (events
 *   fire); "off": only Wifi.connect joins; "connected": still joined from before a soft reset (no events)
 * @param {boolean} [options.staticCheck] crash at load on syntax Espruino lacks or use before declaration (default true)
 * @param {boolean} [options.crashStops] a crash stops the board (default true); false: it prints "Uncaught …" and
 *   carries on like the genuine interpreter (espruino.md §6), what a console board needs
 * @param {(line: string) => void} [options.onLog] each line the board prints
 * @param {(text: string) => void} [options.onPrint] each print as one text ("\n" between lines, no final newline)
 * @param {(message: string) => void} [options.onCrash] the crash message ("Uncaught …" or "OUT OF MEMORY …")
 * @param {object} [options.console] the console's side of reset()/load()/echo()/E.reboot():
 *   { todo(kind: "reset" | "load" | "reboot", file?: string), echo(on: boolean), device(): string }
 */
// A fleet loads the same library into every board: its top-level names are found once per source.
const topLevelNamesOf = new Map();
function topLevelNames(source) {
  let names = topLevelNamesOf.get(source);
  if (names === undefined) {
    try {
      const ast = acorn.parse(source, { ecmaVersion: 2020, sourceType: "script", allowReturnOutsideFunction: true });
      names = ast.body.filter((n) => n.type === "VariableDeclaration")
        .flatMap((n) => n.declarations.map((d) => d.id).filter((id) => id.type === "Identifier").map((id) => id.name));
    } catch {
      names = [];
    }
    if (topLevelNamesOf.size >= 64) topLevelNamesOf.clear();
    topLevelNamesOf.set(source, names);
  }
  return names;
}

export function bootEspruinoBoard(options) {
  const { boardName, board, modules = {}, app = "", storage = {}, seed = 1, wifi = "saved", staticCheck = true, crashStops = true } = options;
  const id = options.id ?? boardName;
  const onLog = options.onLog ?? (() => {});
  const onCrash = options.onCrash ?? (() => {});
  const onPrint = options.onPrint ?? (() => {});
  const host = options.console;
  if (board?.runtime !== "espruino") throw new Error(`${id}: board ${boardName} is not an Espruino board`);
  const chip = board.chip === "esp8266" ? "esp8266" : "esp32";

  const bootTime = performance.now();
  let timeOffset = 0;
  let stopped = false;
  let crashed;
  let stopping;
  const logs = [];
  const logWaiters = new Set();
  const errorFlags = new Set();
  const warmed = new Set();
  const code = new Map(); // "module:<id>" | "app" -> resident vars
  const memory = createMemoryModel(board);
  const files = options.store ?? createStorage(storage);
  const reported = new WeakSet(); // errors already printed (OUT OF MEMORY, static check): not "Uncaught" again
  let fromFlash = 0; // > 0 while boot code runs from a Storage file
  const mathRandom = randomStream(seed, "Math.random");

  // ---- output and crashes ----------------------------------------------------------------------------------
  function print(text) {
    onPrint(String(text));
    for (const line of String(text).split(/\r?\n/)) {
      if (logs.length < MAX_LOG_LINES) logs.push(line);
      onLog(line);
    }
    for (const waiter of [...logWaiters]) waiter();
  }

  function halt() {
    if (!stopped) {
      stopped = true;
      timers.clearAll();
      stopping = network.stop();
      track(handle, false);
      for (const waiter of [...logWaiters]) waiter();
    }
    return stopping;
  }

  function crash(message) {
    if (stopped) return;
    if (!crashStops) {
      print(message);
      onCrash(message);
      return;
    }
    crashed = message;
    halt();
    print(message);
    onCrash(message);
  }

  function uncaught(error) {
    if (stopped || reported.has(error)) return;
    let exception = error;
    try {
      if (api?.uncaught(exception)) return;
    } catch (again) {
      exception = again;
    }
    crash(`Uncaught ${describe(exception)}`);
  }

  // every entry from the Node event loop into board code
  function enter(fn) {
    if (stopped) return;
    try {
      fn();
    } catch (error) {
      uncaught(error);
    }
  }

  // ---- memory ------------------------------------------------------------------------------------------------
  const sum = (values) => [...values].reduce((a, b) => a + b, 0);
  function fixedUsage() {
    const pending = network.pendingBytes();
    return memory.baseline + sum([...warmed].map((name) => WARM_UP_VARS[name])) + sum(code.values())
      + network.openCount * SOCKET_VARS + (pending > 0 ? memory.stringVars(pending) : 0);
  }
  // What loading counted (memory.js moduleVars: each module's exports object, the names assigned on it, every
  // function created at load) is not counted again: the walk skips the exports objects' own names and the
  // functions held directly by exports or by a global, and counts the data reachable from them.
  function liveVars() {
    const seen = new Set();
    let vars = 0;
    for (const exports of api.moduleExports()) vars += memory.valueVars(exports, seen, { loaded: true });
    for (const name of Object.keys(g)) {
      if (bootGlobals.has(name)) continue;
      const value = g[name];
      if (typeof value === "function") seen.add(value);
      else vars += memory.valueVars(value, seen);
    }
    for (const { values, loaded } of moduleState.values()) vars += stateVars(values()) - loaded;
    return vars;
  }
  function memoryReport(gc) {
    const usage = fixedUsage() + liveVars();
    const report = { free: Math.max(0, memory.budget - usage), usage, total: memory.budget, history: 0 };
    if (gc) Object.assign(report, { gc: 0, gctime: 0 }); // reference counting frees at once; no cycles are modelled
    return Object.assign(report, { blocksize: memory.bytesPerUnit, rx: { used: 0, total: 256 }, tx: { used: 0, total: 256 } });
  }
  // OUT OF MEMORY aborts execution and cannot be caught (espruino.md §3): the board is already stopped when
  // the thrown error unwinds the code that asked for memory.
  function outOfMemory(what, needed) {
    errorFlags.add("LOW_MEMORY");
    errorFlags.add("MEMORY");
    const message = `OUT OF MEMORY: ${what} needs ~${needed} vars of ${memory.budget} (emulator estimate, sim/espruino/memory.js)`;
    crash(message);
    const error = new ContextError(message);
    reported.add(error);
    return error;
  }

  // ---- loading code ------------------------------------------------------------------------------------------
  // What code keeps once loaded and the peak while it loads depend on how it is loaded (memory.js moduleVars):
  // "cached" is Modules.addCached of a string (the statement's text and the literal are held while the module
  // runs), "storage" a module read from a Storage file (function bodies stay in flash), "inline" the app run at
  // the top level (its text is held while it runs), "boot" code run at the top level from a Storage file.
  function checkLoad(name, fileName, source, method, moduleId, statementInFlash = false) {
    const { resident, peak } = memory.moduleVars(source, { method, id: moduleId, statementInFlash });
    const needed = fixedUsage() + peak;
    if (needed > memory.budget) throw outOfMemory(`loading ${name} (${source.length} chars)`, needed);
    const failure = staticCheck ? loadTimeError(source, fileName) : undefined;
    if (failure) {
      crash(`Uncaught ${failure}`);
      const error = new ContextError(failure);
      reported.add(error);
      throw error;
    }
    return resident;
  }
  // A module's top-level let/const/var are invisible to the walk from globals and exports (a library such
  // as nats-mcu keeps all its state there): the module is compiled with a getter of their values, so
  // usage counts how their data grows after loading (memory.js counted them as loaded).
  const moduleState = new Map(); // name → { values: () => unknown[], loaded: vars of the values at load }
  function stateVars(values) {
    const seen = new Set();
    return values.reduce((vars, v) => vars + (typeof v === "function" ? 0 : memory.valueVars(v, seen)), 0);
  }
  function compileModule(name, source, method) {
    const fileName = `modules/${name}.js`;
    const resident = checkLoad(`module "${name}"`, fileName, source, method, name, fromFlash > 0);
    const names = topLevelNames(source);
    const getter = names.length > 0 ? `__nmState(function () { return [${names.join(",")}]; });` : "";
    const fn = vm.compileFunction(`${source}\n;${getter}return exports;`, ["exports", "module", "__nmState"], { parsingContext: context, filename: fileName });
    code.set(`module:${name}`, resident);
    const register = (values) => moduleState.set(name, { values, loaded: stateVars(values()) });
    return function (exports, module) {
      return fn.call(this, exports, module, register);
    };
  }

  // ---- natives: the host functions firmware.js calls ---------------------------------------------------------
  const timers = createTimers(enter);
  const network = createNetwork({
    seed, chip, socket: board.socket,
    emit: (obj, event, args) => enter(() => api.emit(obj, event, args)),
    errorDetails: (errorCode, message) => api.fromJson(JSON.stringify({ code: errorCode, message })),
    warn: (line) => print(`WARNING: [emulator] ${line}`),
  });
  const native = {
    log: (line) => !stopped && print(line),
    queue: (fn) => setImmediate(() => enter(fn)),
    random: () => mathRandom(),
    time: () => (performance.now() - bootTime) / 1000 + timeOffset,
    setTime: (t) => {
      timeOffset = t - (performance.now() - bootTime) / 1000;
    },
    timerAdd: (fn, ms, repeat) => timers.add(fn, ms, repeat),
    timerClear: (timerId) => timers.clear(timerId),
    timerClearAll: () => timers.clearAll(),
    timerChange: (timerId, ms) => timers.change(timerId, ms),
    warm: (name) => {
      if (WARM_UP_VARS[name]) warmed.add(name);
    },
    // addCached inside boot code: a function's text stays in flash (a Storage-like load), a literal is copied
    compileModule: (name, source, isFunction) => compileModule(name, source, fromFlash > 0 && isFunction ? "storage" : "cached"),
    loadStorageModule: (name) => {
      const source = files.read(name);
      return source === undefined ? undefined : compileModule(name, source, "storage");
    },
    moduleRemoved: (name) => {
      code.delete(`module:${name}`);
      moduleState.delete(name);
    },
    netConnect: (obj, host, port) => {
      if (chip !== "esp8266" && host !== "127.0.0.1" && host !== "localhost") return undefined; // DNS miss throws on ESP32
      if (fixedUsage() + SOCKET_VARS > memory.budget) throw outOfMemory("net.connect", fixedUsage() + SOCKET_VARS);
      return network.connect(obj, host, port);
    },
    netIsOpen: (h) => network.isOpen(h),
    netWrite: (h, data) => {
      const pending = network.pendingBytes();
      const needed = fixedUsage() - (pending > 0 ? memory.stringVars(pending) : 0) + memory.stringVars(pending + data.length);
      if (needed > memory.budget) throw outOfMemory(`socket.write of ${data.length} bytes (${pending} unsent)`, needed);
      network.write(h, data);
    },
    netEnd: (h) => network.end(h),
    memoryJson: (gc) => JSON.stringify(memoryReport(gc)),
    sizeOf: (value) => memory.valueVars(value),
    errorFlags: () => {
      const list = [...errorFlags];
      errorFlags.clear();
      return list;
    },
    storageRead: (name, offset, length) => files.read(name, offset, length),
    storageWrite: (name, data, offset, size) => files.write(name, data, offset, size),
    storageWriteJson: (name, json) => (json === undefined ? false : files.write(name, compactJson(JSON.parse(json)))),
    storageParseLiberal: (text) => {
      try {
        const value = parseLiberalJson(text);
        return value === undefined ? "U" : `J${JSON.stringify(value)}`;
      } catch (error) {
        return `E${error.message}`;
      }
    },
    storageErase: (name) => files.erase(name),
    storageList: () => files.list(),
    storageFree: () => Math.max(0, CHIPS[chip].STORAGE - sum([...files.files.values()].map((data) => data.length))),
    todo: (kind, file) => {
      if (!host) throw new ContextError(`${kind === "reboot" ? "E.reboot" : kind}() is not emulated on a board without a console (sim/espruino/console.js)`);
      host.todo(kind, file);
    },
    echo: (on) => host?.echo(on),
    consoleDevice: () => host?.device() ?? "Serial1",
  };

  // ---- the context -----------------------------------------------------------------------------------------
  const context = vm.createContext({}, { name: id, codeGeneration: { strings: true, wasm: false } });
  const g = vm.runInContext("globalThis", context);
  const ContextError = g.Error;
  const ContextPromise = g.Promise;
  const config = {
    version: VERSION, chip, serial: `emulated-${id}`, hostname: `espruino-${id}`, mac: "5c:cf:7f:00:00:01", apMac: "02:00:00:00:00:01",
    ssid: "saved-network", wifiSaved: wifi !== "off", wifiUp: wifi === "connected",
    unemulated: CHIPS[chip].MODULES.split(",").filter((name) => !EMULATED_MODULES.includes(name)),
    env: (({ MODULES, EXPTR, ...sizes }) => ({ VERSION, GIT_COMMIT: "emulated", ...sizes, SERIAL: `emulated-${id}`, CONSOLE: "Serial1", MODULES, EXPTR }))(CHIPS[chip]),
  };
  const installFirmware = vm.runInContext(`(${firmware.toString()})`, context, { filename: "firmware.js" });
  const api = installFirmware(native, JSON.stringify(config));
  pruneBuiltins(g, (source) => vm.runInContext(source, context));
  const bootGlobals = new Set(Object.getOwnPropertyNames(g));

  const handle = {
    id,
    boardName,
    board,
    get crashed() {
      return crashed;
    },
    get running() {
      return !stopped;
    },
    /** Every line printed so far (capped at 10,000). */
    logs,
    /** Timers and sockets still pending: what keeps a genuine board (or `espruino file.js`) running. */
    pending: () => ({ timers: timers.size, sockets: network.openCount }),
    stats: () => ({ ...network.stats, connections: network.stats.connections.map((c) => ({ ...c })), memory: memoryReport(false) }),
    /** The Storage files as byte strings. */
    storageFiles: () => Object.fromEntries(files.files),
    /** Clears timers and destroys sockets; resolves once node has closed them. */
    stop: () => halt(),
    /**
     * Resolves with the first printed line matching `pattern` (a RegExp or substring); rejects when the board
     * crashes or stops first, or after timeoutMs.
     */
    waitForLog(pattern, timeoutMs = 5000) {
      const matches = (line) => (typeof pattern === "string" ? line.includes(pattern) : pattern.test(line));
      return new Promise((resolve, reject) => {
        let timer;
        const waiter = () => {
          const line = logs.find(matches);
          if (line !== undefined) finish(null, line);
          else if (crashed !== undefined) finish(new Error(`${id} crashed while waiting for ${pattern}: ${crashed}`));
          else if (stopped) finish(new Error(`${id} stopped while waiting for ${pattern}`));
        };
        const finish = (error, line) => {
          clearTimeout(timer);
          logWaiters.delete(waiter);
          if (error) reject(new Error(`${error.message}\n--- ${id} output:\n${logs.slice(-40).join("\n")}`));
          else resolve(line);
        };
        timer = setTimeout(() => finish(new Error(`${id}: no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
        logWaiters.add(waiter);
        waiter();
      });
    },
    ownsPromise: (promise) => promise instanceof ContextPromise,
    rejected: (reason) => uncaught(reason),
    /**
     * Runs one line typed at the console (jsiHandleNewLine: "REPL"). Resolves nothing: returns the "=…" text of
     * its value, or undefined when it threw (printed as "Uncaught …") or the board is stopped.
     */
    repl(source) {
      let text;
      enter(() => {
        code.set("repl", (code.get("repl") ?? 0) + checkLoad("the input line", "REPL", source, "inline"));
        text = api.replText(new vm.Script(source, { filename: "REPL" }).runInContext(context));
      });
      return text;
    },
    /**
     * jsfLoadBootCodeFromFlash then the rest of jsiSoftInit: `.bootPowerOn` on power-on, `.boot0`…`.boot3`, then
     * `.bootrst`, else (not after reset()) `.bootcde`; then E.on("init") and onInit().
     */
    runBootCode({ powerOn = false, isReset = false, echoOn = true } = {}) {
      const names = [...(powerOn ? [".bootPowerOn"] : []), ".boot0", ".boot1", ".boot2", ".boot3"];
      names.push(files.read(".bootrst") !== undefined ? ".bootrst" : ".bootcde");
      for (const name of names) {
        if (name === ".bootcde" && isReset) continue;
        runFile(name);
      }
      enter(() => api.init(echoOn));
    },
    /**
     * Evaluates a Storage file at the top level; asLoadedFile: as load(file) does, with __FILE__ set.
     * False when there is no such file.
     */
    runFile(name, { asLoadedFile = false } = {}) {
      if (asLoadedFile) g.__FILE__ = name;
      return runFile(name);
    },
    /**
     * The access point goes away (false: the station loses it, its sockets close, connects find no route) or
     * comes back (true: the station joins again). The simulator's `wifi` fault.
     */
    accessPoint(up) {
      if (stopped) return;
      network.setLink(up);
      enter(() => api.accessPoint(up));
    },
    /** Whether the station is joined (a soft reset keeps it joined). */
    wifiConnected: () => !stopped && api.wifiUp(),
  };

  function runFile(name) {
    const source = files.read(name);
    if (source === undefined) return false;
    enter(() => {
      code.set(`boot:${name}`, checkLoad(`Storage file "${name}"`, name, source, "boot"));
      fromFlash++;
      try {
        new vm.Script(source, { filename: name }).runInContext(context);
      } finally {
        fromFlash--;
      }
    });
    return true;
  }
  track(handle, true);

  // ---- boot: cached modules, then the app ---------------------------------------------------------------------
  for (const [name, source] of Object.entries(modules)) {
    enter(() => api.addCached(name, source));
  }
  if (!stopped && app) {
    enter(() => {
      code.set("app", checkLoad("the app", "app.js", app, "inline"));
      new vm.Script(app, { filename: "app.js" }).runInContext(context);
    });
  }
  return handle;
}
