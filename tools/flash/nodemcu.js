// Uploads files to a NodeMCU board through its Lua console (the UART console of a real board at 115200
// baud, or tcp://host:port: a raw TCP console such as a simulated board's, sim/nodemcu/console.js),
// then restarts it and waits until the app reports that it connected.
//
// Protocol: nodemcu-tool's (one command line at a time; the board echoes it, runs it and answers with
// the "> " prompt). nodemcu-tool itself is not used: it opens serial ports only and pins serialport 8.
// Differences: file data travels as Lua string literals (printable ASCII as is, every other byte as a
// 3-digit \ddd escape), which needs no encoder module (not in either branch's default build) and costs
// ~1x for Lua sources instead of hex's 2x; every file is verified after upload by its size and an
// Adler-32 computed by the board, which nodemcu-tool does not do. Lines stay under the firmware's
// LUA_MAXINPUT (256): a longer line loses its start silently.
//
// Files: each { name, data } is written with file.open/io.open(name, "w+") (ESP8266 file objects, ESP32
// io handles: same methods). A stale name.lc is removed when name.lua is uploaded (require would
// prefer it). Names in `compile` are compiled on the board with node.compile and their .lua removed,
// so only the .lc remains; init.lua must stay source (the firmware runs only init.lua). Other files on
// the board are left alone. A board with an init.lua gets it removed and is restarted before the
// upload, so a running app does not interfere.
import net from "node:net";
import { untilArrival, untilLine } from "./arrivals.js";

const PROBE = 'print(node and node.heap and "nodemcu" .. #"ab")'; // only NodeMCU's Lua prints "nodemcu2"
const MAX_INPUT = 255; // app/driver/input.c keeps at most LUA_MAXINPUT - 1 (255) bytes of a line
const MAX_LINE = 250; // data lines, with room to spare
const WRITE_OPEN = "__nmf:write(\"";
const VERIFY_HELPER = 'function __nmv(n)local f=(file.open or io.open)(n,"r")if not f then return -1,0,0 end local z,a,b=0,1,0 ' +
  "while true do local s=f:read(240)if not s then break end z=z+#s for i=1,#s do a=(a+s:byte(i))%65521 b=(b+a)%65521 end end " +
  "f:close()return z,a,b end";
// What NodeMCU prints when something went wrong (app/lua53/lua.c, the PANIC handler, luaL_loadfile).
const BOARD_ERROR = /^(PANIC: |Lua error: |stack traceback:|cannot open init\.lua)|not enough memory/;

/** A Lua string literal for data, cut into pieces of at most `room` characters: [{ text, bytes }]. */
export function luaStringPieces(data, room) {
  const pieces = [];
  let text = "";
  let bytes = 0;
  for (const b of data) {
    const piece = b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : "\\" + String(b).padStart(3, "0");
    if (text.length + piece.length > room) {
      pieces.push({ text, bytes });
      text = "";
      bytes = 0;
    }
    text += piece;
    bytes += 1;
  }
  if (bytes > 0) pieces.push({ text, bytes });
  return pieces;
}

export function adler32(data) {
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  return { a, b };
}

/** init.lua: waits delayMs (a window to type file.remove("init.lua") if the app crashes), then requires the app. */
export function initLua(appModule, { delayMs = 3000 } = {}) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(appModule)) throw new Error(`initLua: "${appModule}" is not a Lua module name`);
  return `-- nats-mcu: starts ${appModule} ${delayMs} ms after boot; file.remove("init.lua") in that window stops it
print("nats-mcu: ${appModule} starts in ${delayMs} ms (file.remove(\\"init.lua\\") stops it)")
tmr.create():alarm(${delayMs}, tmr.ALARM_SINGLE, function()
  if not file.exists("init.lua") then print("nats-mcu: init.lua removed, ${appModule} not started") return end
  require("${appModule}")
end)
`;
}

function portError(port, e) {
  const why = { ECONNREFUSED: "connection refused (nothing listens there)", ENOTFOUND: "unknown host", EHOSTUNREACH: "host unreachable" }[e.code];
  // serialport's messages: "Error: No such file or directory, cannot open /dev/ttyUSB0"
  return new Error(`cannot open ${port}: ${why ?? e.message.replace(/^Error: /, "").replace(/, cannot open .*$/, "")}`, { cause: e });
}

/** Opens the port: { write(text), onData(fn), onClose(fn), close() }. */
async function openLink(port, baud) {
  const tcp = /^tcp:\/\/([^/:]+):(\d+)\/?$/.exec(port);
  if (tcp) {
    const sock = net.connect(Number(tcp[2]), tcp[1]);
    await new Promise((resolve, reject) => {
      sock.once("connect", resolve);
      sock.once("error", (e) => reject(portError(port, e)));
    });
    sock.setNoDelay(true);
    sock.on("error", () => {}); // reported through onClose
    return {
      write: (text) => sock.write(text, "latin1"),
      onData: (fn) => sock.on("data", fn),
      onClose: (fn) => sock.on("close", fn),
      close: () => sock.destroy(),
    };
  }
  if (/^tcp:/.test(port)) throw new Error(`bad port ${port}: expected tcp://host:port`);
  const { SerialPort } = await import("serialport"); // native bindings only when a serial port is used
  const sp = new SerialPort({ path: port, baudRate: baud, autoOpen: false });
  await new Promise((resolve, reject) => sp.open((e) => (e ? reject(portError(port, e)) : resolve())));
  sp.on("error", () => {});
  return {
    write: (text) => sp.write(Buffer.from(text, "latin1")),
    onData: (fn) => sp.on("data", fn),
    onClose: (fn) => sp.on("close", fn),
    close: () => new Promise((resolve) => (sp.isOpen ? sp.close(() => resolve()) : resolve())),
  };
}

/** One Lua console session: one command in flight, answers parsed up to the next prompt. */
class LuaConsole {
  constructor(link, port, answerMs) {
    Object.assign(this, { link, port, answerMs, buf: "", received: 0, closed: false, waiter: null });
    link.onData((chunk) => {
      this.received += chunk.length;
      this.buf += chunk.toString("latin1");
      this.waiter?.();
    });
    link.onClose(() => {
      this.closed = true;
      this.waiter?.();
    });
  }

  /** Resolves with test()'s first truthy result, checked on every arrival; rejects after ms or on close. */
  until(test, ms, what) {
    return untilArrival(this, test, ms, what);
  }

  send(line) {
    this.link.write(line + "\n");
  }

  excerpt() {
    const text = this.buf.replace(/[^\x20-\x7e\n]/g, "").trim();
    return text === "" ? "(nothing printable)" : JSON.stringify(text.slice(-300));
  }

  /** Finds NodeMCU: retries the probe until it prints "nodemcu2", then lets late answers drain. */
  async probe(ms) {
    const deadline = Date.now() + ms;
    this.buf = "";
    this.link.write("\n");
    while (Date.now() < deadline) {
      this.send(PROBE);
      try {
        await this.until(() => /(^|\n)nodemcu2\r?\n/.test(this.buf), Math.min(800, Math.max(1, deadline - Date.now())), "probe");
        await this.quiet(150);
        this.buf = "";
        return;
      } catch (e) {
        if (!e.timeout) throw e;
      }
    }
    if (this.received === 0) {
      throw new Error(`no answer from ${this.port}: nothing came back within ${ms} ms (is the board powered, running NodeMCU and not busy? is the baud rate right?)`);
    }
    // Espruino answers a statement it cannot run with "Uncaught …" and results with "=…" (espruino.md §7)
    const other = /Uncaught |(^|\n)=|Espruino/.test(this.buf) ? " It looks like Espruino: flash it as an espruino board." : "";
    throw new Error(`${this.port} answers, but not as a NodeMCU Lua console (${PROBE} did not print "nodemcu2"); it printed: ${this.excerpt()}${other}`);
  }

  /** Waits until nothing arrived for ms. */
  async quiet(ms) {
    let seen = -1;
    while (seen !== this.received) {
      seen = this.received;
      await new Promise((r) => setTimeout(r, ms));
    }
  }

  /** Runs one command line; resolves with the lines it printed. A "Lua error:" answer rejects. */
  async exec(cmd, what = cmd) {
    if (cmd.length > MAX_INPUT) throw new Error(`${this.port}: ${what}: the command line is too long for the console (${cmd.length} > ${MAX_INPUT} bytes)`);
    this.buf = "";
    this.send(cmd);
    const at = await this.until(() => {
      const m = /\n(>>?) /.exec(this.buf);
      return m && { index: m.index, continuation: m[1] === ">>", end: m.index + m[0].length };
    }, this.answerMs, what);
    const lines = this.buf.slice(0, at.index).split("\n").map((l) => l.replace(/\r$/, "")).slice(1); // [0]: the echo
    this.buf = this.buf.slice(at.end);
    if (at.continuation) throw new Error(`${this.port}: ${what}: the board waits for more input (">>"): the line did not arrive whole`);
    const err = lines.findIndex((l) => l.startsWith("Lua error: "));
    if (err >= 0) throw new Error(`${this.port}: ${what} failed: ${lines.slice(err).join("\n").replace(/^Lua error: \t?/, "")}`);
    return lines;
  }

  /** Runs cmd and resolves with the first match of re among the lines it printed. */
  async query(cmd, re, what) {
    const lines = await this.exec(cmd, what);
    for (const line of lines) {
      const m = re.exec(line);
      if (m) return m;
    }
    throw new Error(`${this.port}: ${what}: unexpected answer ${JSON.stringify(lines.join("\n"))}`);
  }

  /** Collects console lines until one matches ok (resolves with all lines) or an error shows / ms pass. */
  watch({ ok, failed, ms, onLine }) {
    let rest = "";
    const fresh = () => {
      const parts = (rest + this.buf).split("\n");
      this.buf = "";
      rest = parts.pop();
      return parts.map((raw) => raw.replace(/\r$/, "").replace(/^(>>? )+/, "")).filter((line) => line !== "");
    };
    return untilLine(this, fresh, { ok, failed, boardError: BOARD_ERROR, ms, onLine, after: "restart" });
  }
}

function checkFiles(files, compile) {
  if (!Array.isArray(files) || files.length === 0) throw new Error("flashNodeMcu: files must list at least one { name, data }");
  for (const f of files) {
    if (typeof f.name !== "string" || !/^[\x21-\x7e]{1,31}$/.test(f.name)) throw new Error(`flashNodeMcu: bad file name ${JSON.stringify(f.name)} (1–31 printable ASCII bytes, no spaces)`);
  }
  for (const name of compile) {
    if (!files.some((f) => f.name === name)) throw new Error(`flashNodeMcu: compile names ${name}, which is not among the files`);
    if (!name.endsWith(".lua")) throw new Error(`flashNodeMcu: cannot compile ${name}: node.compile takes .lua files`);
    if (name === "init.lua") throw new Error("flashNodeMcu: init.lua must stay source: the firmware runs only init.lua at boot");
  }
}

const lua = (s) => luaStringPieces(Buffer.from(s, "latin1"), Infinity).map((p) => `"${p.text}"`)[0] ?? '""';

async function uploadFile(con, file, progress) {
  const data = Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data, "utf8");
  const name = lua(file.name);
  const stale = file.name.endsWith(".lua") ? `file.remove(${lua(file.name.slice(0, -3) + "lc")}) ` : "";
  const [, opened] = await con.query(`${stale}__nmf=(file.open or io.open)(${name},"w+") print("nmo:"..tostring(__nmf~=nil))`, /^nmo:(true|false)$/, `opening ${file.name}`);
  if (opened !== "true") throw new Error(`${con.port}: cannot open ${file.name} for writing on the board (file system full or broken?)`);
  for (const piece of luaStringPieces(data, MAX_LINE - WRITE_OPEN.length - 2)) {
    await con.exec(`${WRITE_OPEN}${piece.text}")`, `writing ${file.name}`);
    progress(piece.bytes);
  }
  const [, z, a, b] = await con.query(`__nmf:close() __nmf=nil print("nmv:"..table.concat({__nmv(${name})},":"))`, /^nmv:(-?\d+):(\d+):(\d+)$/, `verifying ${file.name}`);
  const want = adler32(data);
  if (Number(z) !== data.length || Number(a) !== want.a || Number(b) !== want.b) {
    const got = Number(z) < 0 ? "the file is missing" : `the board has ${z} bytes, Adler-32 ${a}/${b}`;
    throw new Error(`${con.port}: ${file.name} did not verify after upload: ${got}; ${data.length} bytes were sent, Adler-32 ${want.a}/${want.b}`);
  }
}

/**
 * Flashes files to the NodeMCU board at port, compiles `compile`, restarts it and resolves once a
 * console line matches connectedPattern, with { heapFree: node.heap() then, lines: what it printed
 * after the restart }. Rejects on failedPattern, a NodeMCU error line (PANIC, Lua error, traceback)
 * or after timeoutMs. Options: baud (115200), answerMs (per command and for the probe, 3000).
 */
export async function flashNodeMcu({ port, board, boardName, files, compile = [], connectedPattern, failedPattern, timeoutMs = 30000, onProgress = () => {}, onLine = () => {}, baud = 115200, answerMs = 3000 }) {
  if (typeof port !== "string" || port === "") throw new Error("flashNodeMcu: port is required (a serial device or tcp://host:port)");
  if (board !== undefined && board.runtime !== "nodemcu") throw new Error(`flashNodeMcu: ${boardName ?? "the board"} is not a NodeMCU board`);
  if (!(connectedPattern instanceof RegExp)) throw new Error("flashNodeMcu: connectedPattern must be a RegExp");
  checkFiles(files, compile);
  const total = files.reduce((n, f) => n + Buffer.byteLength(f.data), 0);
  const link = await openLink(port, baud);
  const con = new LuaConsole(link, port, answerMs);
  try {
    await con.probe(answerMs);
    const [, hasInit] = await con.query('print("nmi:"..tostring(file.exists("init.lua")))', /^nmi:(true|false)$/, "looking for init.lua");
    if (hasInit === "true") {
      await con.exec('file.remove("init.lua") node.restart()', "stopping the running app");
      await con.probe(answerMs + 2000);
    }
    await con.exec(VERIFY_HELPER, "defining the verify helper");
    let sent = 0;
    onProgress(0, total);
    for (const file of files) {
      await uploadFile(con, file, (n) => onProgress((sent += n), total));
    }
    for (const name of compile) {
      const lc = lua(name.slice(0, -3) + "lc");
      const [, ok] = await con.query(`node.compile(${lua(name)}) file.remove(${lua(name)}) print("nmc:"..tostring(file.exists(${lc})))`, /^nmc:(true|false)$/, `compiling ${name}`);
      if (ok !== "true") throw new Error(`${port}: node.compile("${name}") left no ${name.slice(0, -3)}lc`);
    }
    await con.exec("node.restart()", "restarting");
    const lines = await con.watch({ ok: connectedPattern, failed: failedPattern, ms: timeoutMs, onLine });
    const [, heap] = await con.query('print("nmh:"..node.heap())', /nmh:(\d+)/, "reading node.heap()");
    return { heapFree: Number(heap), lines };
  } finally {
    await link.close();
  }
}
