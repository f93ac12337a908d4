// Uploads the nats-mcu library and an app to an Espruino board through the `espruino` npm package (the
// Espruino CLI's own code, used as a library in this process), over a serial port or tcp://host:port
// (the telnet console of an Espruino board or of a simulated one, sim/espruino/console.js), then loads
// the saved app and waits until it reports that it connected.
//
// Offline (espruino.md §7): board JSON from tools/flash/espruino-boards (BOARD_JSON_URL: non-http URLs
// are read from disk), the library from a temporary module folder (MODULE_URL), no BLE, no minifier or
// compiler service. Session: connect (the package queries process.env and loads the board JSON), then one
// upload as the CLI sends it (reset(), then code lines with echo off): every file goes to Storage with
// the package's getUploadFileCode (what `espruino --storage name:file` sends): the `files`, the library
// as Storage file "nats-mcu" for libraryMethod "storage" (require() evaluates a Storage file of the
// module's name, espruino.md §5), and ".bootcde": the app, for "cached" with the package's
// Modules.addCached("nats-mcu", function(){…}) line in front (its module upload). Each file is read back
// (size, E.CRC32) before load() runs .bootcde: the app then survives reset/power-off like a
// SAVE_ON_SEND upload.
//
// The package keeps its state in one global (`Espruino`): sessions run one at a time, and its own
// console output (the CLI hides it unless --verbose) is kept for error messages instead of printed.
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32 } from "node:zlib";
import { untilArrival, untilLine } from "./arrivals.js";

const require = createRequire(import.meta.url);
const BOARD_JSON_DIR = join(dirname(fileURLToPath(import.meta.url)), "espruino-boards");
const PACKAGE_DIR = dirname(require.resolve("espruino/package.json"));
const MODULE = "nats-mcu";
// What Espruino prints when code failed (src/jsinteractive.c, jsparse.c); "Uncaught" also covers errors
// raised while loading .bootcde.
const BOARD_ERROR = /^(Uncaught |OUT OF MEMORY|Execution Interrupted|ERROR: )/;
// NodeMCU's Lua console answers JavaScript with parse errors naming the chunk "stdin" (lua.c).
const NODEMCU = /stdin:\d+:|Lua error|NodeMCU/;
// Console text carries VT100 sequences and control bytes (Espruino's line editor).
/* eslint-disable no-control-regex */
const VT100 = /\x1B\[[0-9;?]*[A-Za-z]/g;
const CONTROL = /[\x00-\x08\x0B-\x1F]/g;
/* eslint-enable no-control-regex */

let tools; // the package's `Espruino` once initialised
let current; // the session the package's console output belongs to
let queue = Promise.resolve();

/** Whether the console call being made comes from the espruino package's code. */
function fromPackage() {
  const caller = new Error().stack.split("\n")[3] ?? "";
  return caller.includes(PACKAGE_DIR);
}

async function espruinoTools() {
  if (tools) return tools;
  for (const level of ["log", "info", "warn", "error"]) {
    const original = console[level];
    console[level] = function (...args) {
      if (fromPackage()) current?.note(args.map(String).join(" "));
      else original.apply(this, args);
    };
  }
  await new Promise((resolve) => require("espruino").init(resolve));
  tools = globalThis.Espruino;
  replaceTcpDevice(tools.Core.Serial.devices.find((d) => d.name === "Node Socket"));
  const note = (text) => current?.note(String(text));
  tools.Core.Notifications = { success: note, error: note, warning: note, info: note };
  tools.Core.Status = {
    setStatus: (text, length) => current?.status(text, length),
    hasProgress: () => false,
    incrementProgress: () => {},
  };
  Object.assign(tools.Config, {
    BOARD_JSON_URL: BOARD_JSON_DIR,
    BLUETOOTH_LOW_ENERGY: false, // --no-ble
    BLUETOOTH_LOW_ENERGY_DBUS: false,
    SET_TIME_ON_WRITE: false, // the CLI's default without -t
    MINIFICATION_LEVEL: "", // the build already minified both
    SAVE_ON_SEND: 0, // Storage files are written explicitly below
    RESET_BEFORE_SEND: true,
    ENV_ON_CONNECT: true,
  });
  return tools;
}

/**
 * The package's tcp:// device (core/serial_node_socket.js) closes with socket.end(), which leaves the socket
 * open when the far end never answers (a silent console kept this process alive), and reports a socket
 * error without a disconnect. The same device, closed with destroy() and disconnected on "close".
 */
function replaceTcpDevice(device) {
  if (device === undefined) throw new Error("the espruino package has no tcp:// device (core/serial_node_socket.js)");
  let socket;
  device.open = (path, opened, received, disconnected) => {
    const m = /^tcp:\/\/([^/:]*)(?::(\d+))?/.exec(path);
    socket = net.connect(Number(m[2] ?? 23), m[1] || "localhost", () => opened("Ok"));
    socket.on("data", (data) => received(new Uint8Array(data).buffer));
    socket.on("error", () => {}); // "close" follows
    socket.on("close", () => disconnected());
  };
  device.write = (data, callback) => socket.write(data, undefined, callback);
  device.close = () => socket?.destroy();
}

function portError(port, e) {
  const why = { ECONNREFUSED: "connection refused (nothing listens there)", ENOTFOUND: "unknown host", EHOSTUNREACH: "host unreachable", ENOENT: "no such device", EACCES: "permission denied" }[e.code];
  return new Error(`cannot open ${port}: ${why ?? e.message.replace(/^Error: /, "").replace(/, cannot open .*$/, "")}`, { cause: e });
}

/** Opens and closes the port once, so that a port that cannot be opened fails with its own reason. */
async function checkPort(port, baud) {
  const tcp = /^tcp:\/\/([^/:]+)(?::(\d+))?\/?$/.exec(port);
  if (tcp) {
    await new Promise((resolve, reject) => {
      const sock = net.connect(Number(tcp[2] ?? 23), tcp[1]);
      sock.once("connect", () => {
        sock.destroy();
        resolve();
      });
      sock.once("error", (e) => reject(portError(port, e)));
    });
    return;
  }
  if (/^tcp:/.test(port)) throw new Error(`bad port ${port}: expected tcp://host:port`);
  try {
    accessSync(port, constants.R_OK | constants.W_OK);
  } catch (e) {
    throw portError(port, e);
  }
  const { SerialPort } = await import("serialport");
  const sp = new SerialPort({ path: port, baudRate: baud, autoOpen: false });
  await new Promise((resolve, reject) => sp.open((e) => (e ? reject(portError(port, e)) : resolve())));
  await new Promise((resolve) => sp.close(() => resolve()));
}

/** Console text to lines: VT100 sequences, prompts and text overwritten after "\r" dropped. */
function lineSplitter() {
  let rest = "";
  return (text) => {
    const parts = (rest + text).split("\n");
    rest = parts.pop();
    return parts
      .map((raw) => raw.replace(/\r$/, "").replace(VT100, "").split("\r").pop().replace(CONTROL, "").replace(/^>+/, ""))
      .filter((line) => line.trim() !== "");
  };
}

/** One connection to a board through the package; one at a time. */
class Session {
  constructor(port, onProgress) {
    Object.assign(this, { port, onProgress, notes: [], received: "", closed: false, waiter: null, upload: null });
    this.onData = (text) => {
      this.received += text;
      this.waiter?.();
    };
  }

  note(text) {
    if (this.notes.length < 200) this.notes.push(text);
  }

  /** Espruino.Core.Status: "Sending..." carries the length of an upload, whose bytes writeLowLevel counts. */
  status(text, length) {
    if (this.upload && text === "Sending..." && length > 0) {
      this.upload.total = length;
      this.onProgress(0, length);
    }
  }

  excerpt(text = this.received) {
    const clean = text.replace(VT100, "").replace(/[^\x20-\x7e\n]/g, "").trim();
    return clean === "" ? "(nothing printable)" : JSON.stringify(clean.slice(-400));
  }

  /** Resolves with test()'s first truthy result, checked on every arrival; rejects after ms or on close. */
  until(test, ms, what) {
    return untilArrival(this, test, ms, what);
  }

  async open(answerMs) {
    const E = tools;
    const env = E.Core.Env.getData();
    for (const key of Object.keys(env)) delete env[key]; // not the previous board's
    if (this.port.startsWith("tcp://")) E.Config.SERIAL_TCPIP = [this.port];
    const ports = await new Promise((resolve) => E.Core.Serial.getPorts((list) => resolve(list ?? [])));
    if (!ports.some((p) => p.path === this.port)) {
      throw new Error(`cannot open ${this.port}: the espruino tools do not list it among the serial ports (they list: ${ports.map((p) => p.path).join(", ") || "none"})`);
    }
    const connection = E.Core.Serial.connection;
    connection.on("data", this.onData);
    const lowLevel = connection.writeLowLevel;
    this.restore = () => {
      connection.removeListener("data", this.onData);
      connection.writeLowLevel = lowLevel;
    };
    connection.writeLowLevel = (text) => lowLevel(text).then(() => {
      if (this.upload?.total !== undefined) this.onProgress(Math.min((this.upload.sent += text.length), this.upload.total), this.upload.total);
    });
    E.Core.Serial.startListening(() => {}); // received bytes arrive through the "data" event
    let disconnected;
    this.disconnected = new Promise((resolve) => (disconnected = resolve));
    const opened = new Promise((resolve, reject) => {
      const connected = (info) => (info === undefined ? reject(new Error(`cannot open ${this.port}: ${this.notes.slice(-3).join("; ")}`)) : resolve());
      E.Core.Serial.open(this.port, connected, () => {
        this.closed = true;
        this.waiter?.();
        disconnected();
      });
    });
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from ${this.port}: the espruino tools did not finish connecting within ${answerMs} ms`)), answerMs);
    });
    try {
      await Promise.race([opened, late]);
    } finally {
      clearTimeout(timer);
    }
    return E.Core.Env.getData();
  }

  /** Sends text the way the CLI sends code: throttled, split at reset()/Storage writes, echo off per line. */
  send(code) {
    return new Promise((resolve) => {
      this.upload = { sent: 0, total: undefined }; // the length once reformatted comes with "Sending..."
      tools.Core.CodeWriter.writeToEspruino(code, () => {
        const { total = 0 } = this.upload;
        this.upload = null;
        this.onProgress(total, total);
        resolve();
      });
    });
  }

  /** Evaluates an expression on the board; resolves with its JSON value. */
  async query(expr, what, ms) {
    const tag = `nmq${Math.floor(Math.random() * 1e6)}`;
    const from = this.received.length;
    tools.Core.Serial.write(`\x10print("<${tag}<"+JSON.stringify(${expr})+">${tag}>")\n`, false);
    const text = await this.until(() => new RegExp(`<${tag}<(.*?)>${tag}>`).exec(this.received.slice(from))?.[1], ms, what);
    return JSON.parse(text);
  }

  /** Collects console lines until one matches ok (resolves with them) or a failure shows / ms pass. */
  watch({ ok, failed, ms, onLine }) {
    const split = lineSplitter();
    let seen = this.received.length;
    const fresh = () => {
      const text = this.received.slice(seen);
      seen = this.received.length;
      return split(text);
    };
    return untilLine(this, fresh, { ok, failed, boardError: BOARD_ERROR, ms, onLine, after: "load()" });
  }

  async close() {
    if (tools.Core.Serial.isConnected()) {
      tools.Core.Serial.close();
      // the old link's disconnect callback must not reach the next session's (the package's state is global)
      await Promise.race([this.disconnected, new Promise((r) => setTimeout(r, 2000))]);
    }
    this.restore?.();
  }
}

/** The board answered the connect, but without process.env: say what is there instead. */
function notEspruino(session, answerMs) {
  const got = session.received;
  if (NODEMCU.test(got)) return new Error(`the board on ${session.port} runs NodeMCU, not Espruino (it answered with Lua errors: ${session.excerpt()}); flash it as a NodeMCU board`);
  if (got.trim() === "") return new Error(`no answer from ${session.port}: nothing came back within ${answerMs} ms (is the board powered, running Espruino and not busy? is the baud rate right?)`);
  return new Error(`${session.port} answers, but not as an Espruino console (process.env did not come back); it printed: ${session.excerpt()}`);
}

const asBytes = (data) => (Buffer.isBuffer(data) ? data : Buffer.from(String(data), "utf8")).toString("latin1");

/** The app as the package sends it: for "cached", the library found in a module folder goes in front. */
async function transformApp(app, libraryPath, libraryMethod) {
  const dir = mkdtempSync(join(tmpdir(), "nats-mcu-espruino-modules-"));
  try {
    // ".min.js": the package then does not minify it again (core/modules.js isMinified)
    if (libraryMethod === "cached") copyFileSync(libraryPath, join(dir, `${MODULE}.min.js`));
    Object.assign(tools.Config, { MODULE_URL: dir, MODULE_EXTENSIONS: ".min.js", MODULES_CWD: dir });
    return await new Promise((resolve) => tools.callProcessor("transformForEspruino", app, resolve));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkOptions({ port, board, boardName, libraryPath, libraryMethod, appPath, files, connectedPattern }) {
  if (typeof port !== "string" || port === "") throw new Error("flashEspruino: port is required (a serial device or tcp://host:port)");
  if (board !== undefined && board.runtime !== "espruino") throw new Error(`flashEspruino: ${boardName ?? "the board"} is not an Espruino board`);
  if (!["cached", "storage"].includes(libraryMethod)) throw new Error(`flashEspruino: libraryMethod must be "cached" or "storage", got ${JSON.stringify(libraryMethod)}`);
  for (const [what, path] of [["libraryPath", libraryPath], ["appPath", appPath]]) {
    if (typeof path !== "string" || !existsSync(path)) throw new Error(`flashEspruino: ${what} ${JSON.stringify(path)} does not exist`);
  }
  if (!(connectedPattern instanceof RegExp)) throw new Error("flashEspruino: connectedPattern must be a RegExp");
  for (const f of files) {
    if (typeof f.name !== "string" || !/^[\x21-\x7e]{1,28}$/.test(f.name) || f.name.startsWith(".boot")) {
      throw new Error(`flashEspruino: bad Storage file name ${JSON.stringify(f.name)} (1–28 printable ASCII bytes, not .boot*)`);
    }
    if (asBytes(f.data).length === 0) throw new Error(`flashEspruino: Storage file ${f.name} is empty`);
  }
}

async function flashOnce(options) {
  const { port, board, boardName, libraryPath, libraryMethod, appPath, files = [], connectedPattern, failedPattern, timeoutMs = 30000, onProgress = () => {}, onLine = () => {}, baud = 115200, answerMs = 10000 } = options;
  checkOptions({ ...options, files });
  await checkPort(port, baud);
  const E = await espruinoTools();
  E.Config.BAUD_RATE = baud;
  // Storage writes are throttled on serial links only (XON/XOFF is too slow there, core/serial.js)
  E.Config.STORAGE_UPLOAD_METHOD = port.startsWith("tcp://") ? 1 : 0;
  const session = new Session(port, onProgress);
  current = session;
  try {
    const env = await session.open(answerMs);
    if (typeof env.BOARD !== "string" || typeof env.VERSION !== "string") throw notEspruino(session, answerMs);
    if (board?.chip !== undefined && !env.BOARD.toLowerCase().startsWith(board.chip)) {
      throw new Error(`the board on ${port} is an Espruino ${env.BOARD} (${env.VERSION}), not the ${board.chip} that ${boardName ?? "the board"} needs`);
    }

    const app = await transformApp(readFileSync(appPath, "latin1"), libraryPath, libraryMethod);
    if (libraryMethod === "cached" && !app.includes(`Modules.addCached(${JSON.stringify(MODULE)}`)) {
      throw new Error(`the espruino tools did not put module ${MODULE} in front of ${appPath} (does the app require("${MODULE}")?): ${session.notes.slice(-3).join("; ")}`);
    }
    const stored = [
      ...files.map((f) => ({ name: f.name, data: asBytes(f.data) })),
      ...(libraryMethod === "storage" ? [{ name: MODULE, data: readFileSync(libraryPath, "latin1") }] : []),
      { name: ".bootcde", data: app },
    ];
    const stale = [".bootrst", ...(libraryMethod === "cached" ? [MODULE] : [])]; // .bootrst would run instead of .bootcde
    const code = [
      ...stale.map((name) => `require("Storage").erase(${JSON.stringify(name)})`),
      ...stored.map((f) => E.Core.Utils.getUploadFileCode(f.name, f.data)),
    ].join("\n");
    const uploadFrom = session.received.length;
    await session.send(code);

    const names = JSON.stringify(stored.map((f) => f.name));
    const got = await session.query(`${names}.map(function(n){var s=require("Storage").read(n);return s===undefined?[-1,0]:[s.length,E.CRC32(s)]})`, "reading back the Storage files", answerMs);
    for (const [i, f] of stored.entries()) {
      const want = [f.data.length, crc32(Buffer.from(f.data, "latin1"))];
      if (got[i]?.[0] !== want[0] || got[i]?.[1] !== want[1]) {
        const have = got[i]?.[0] < 0 ? "the file is missing" : `the board has ${got[i]?.[0]} bytes, CRC32 ${got[i]?.[1]}`;
        const printed = lineSplitter()(session.received.slice(uploadFrom) + "\n").filter((l) => BOARD_ERROR.test(l) || /rror/.test(l));
        throw new Error(`${port}: Storage file ${f.name} did not verify after upload: ${have}; ${want[0]} bytes were sent, CRC32 ${want[1]}${printed.length ? `\nthe board printed:\n${printed.join("\n")}` : ""}`);
      }
    }

    E.Core.Serial.write("\x10load()\n", false); // runs .bootcde in a fresh interpreter
    const lines = await session.watch({ ok: connectedPattern, failed: failedPattern, ms: timeoutMs, onLine });
    const memory = await session.query("process.memory()", "reading process.memory()", answerMs);
    return { jsvarsFree: memory.free, jsvarsTotal: memory.total, lines };
  } finally {
    current = undefined;
    await session.close();
  }
}

/**
 * Flashes the library and app to the Espruino board at port, writes `files` to Storage, loads the app
 * and resolves once a console line matches connectedPattern, with { jsvarsFree, jsvarsTotal } from
 * process.memory() then and lines: what the board printed after load(). Rejects on failedPattern, an
 * Espruino error line ("Uncaught …") or after timeoutMs. Options: baud (115200), answerMs (connecting
 * and each query, 10000).
 */
export function flashEspruino(options) {
  const run = queue.then(() => flashOnce(options));
  queue = run.catch(() => {});
  return run;
}
