// Starts the NodeMCU emulator (sim/nodemcu/host.lua) from Node and follows its report lines.
//
//   const host = startNodeMcuHost({ lua: "lua5.1", boards: [{ id: "esp8266-1", chip: "esp8266", app: "/abs/app.lua" }] });
//   const pong = await host.waitFor({ board: "esp8266-1", kind: "print", detail: "PONG" }, 5000);
//   await host.stop();
//
// Boards take the fields of a spec.lua board (see host.lua): id, chip, heap_budget, recv_chunk_max,
// send_max, seed, numbers, modules, app or app_source, config, and the optional ones. A board may name
// a boards.json entry (`board: "esp8266-nodemcu"`): chip, heap_budget, recv_chunk_max, send_max,
// numbers and modules.nats_mcu (build/<name>/nats_mcu.lua) then default to that entry.
// Every report line becomes an event { board, kind, detail, bytes, line, atMs }: detail is the
// unescaped detail as a latin1 string (one char per byte), bytes the same as a Buffer.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadBoards } from "../../tools/boards.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const HOST_LUA = join(HERE, "host.lua");
const STOP_GRACE_MS = 5000;
const KEEP_STDERR = 16384;

const running = new Set();
process.on("exit", () => {
  for (const proc of running) proc.kill("SIGKILL");
});

/** A Lua string literal for bytes: printable ASCII as is, everything else as \ddd. */
function luaString(bytes) {
  let out = "\"";
  for (const b of bytes) {
    if (b >= 0x20 && b <= 0x7e && b !== 0x22 && b !== 0x5c) out += String.fromCharCode(b);
    else out += "\\" + String(b).padStart(3, "0");
  }
  return out + "\"";
}

/** Serializes a JS value to a Lua literal (strings as UTF-8 bytes; Buffers/Uint8Arrays byte for byte). */
export function toLua(value, indent = "") {
  if (value === undefined || value === null) return "nil";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "(0/0)";
    if (value === Infinity) return "math.huge";
    if (value === -Infinity) return "(-math.huge)";
    return Object.is(value, -0) ? "-0.0" : String(value);
  }
  if (typeof value === "string") return luaString(Buffer.from(value, "utf8"));
  if (value instanceof Uint8Array) return luaString(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "{}";
    return "{\n" + Array.from(value, (v) => inner + toLua(v, inner) + ",\n").join("") + indent + "}";
  }
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    return "{\n" + entries.map(([k, v]) => `${inner}[${luaString(Buffer.from(k, "utf8"))}] = ${toLua(v, inner)},\n`).join("") + indent + "}";
  }
  throw new TypeError(`cannot serialize a ${typeof value} to Lua`);
}

/** The bytes of an escaped report detail (\\, \n, \r, \t, \ddd). */
export function unescapeDetail(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && i + 1 < text.length) {
      const next = text[i + 1];
      if (/[0-9]/.test(next) && /^[0-9]{3}$/.test(text.slice(i + 1, i + 4))) {
        out.push(Number(text.slice(i + 1, i + 4)));
        i += 3;
        continue;
      }
      const named = { n: 10, r: 13, t: 9, "\\": 0x5c }[next];
      if (named !== undefined) {
        out.push(named);
        i += 1;
        continue;
      }
    }
    out.push(c & 0xff);
  }
  return Buffer.from(out);
}

/** Throws an Error naming the apt-get command when lua (or its LuaSocket) is missing. */
export function checkLua(lua) {
  const r = spawnSync(lua, ["-e", "require(\"socket\")"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    const why = r.error ? (r.error.code === "ENOENT" ? `${lua} is not installed` : r.error.message) : `LuaSocket is missing for ${lua}: ${r.stderr.trim().split("\n")[0]}`;
    throw new Error(`NodeMCU emulator: ${why}. Install it with: apt-get install -y ${lua} lua-socket`);
  }
}

function withBoardDefaults(board) {
  if (!board.board) return board;
  const entry = loadBoards()[board.board];
  if (!entry || entry.runtime !== "nodemcu") throw new Error(`boards.json has no NodeMCU board named ${board.board}`);
  return {
    chip: entry.chip,
    heap_budget: entry.memory.budget,
    recv_chunk_max: entry.socket.recvChunkBytes,
    send_max: entry.socket.sendChunkBytes,
    numbers: entry.numbers,
    ...board,
    modules: { nats_mcu: join(ROOT, "build", board.board, "nats_mcu.lua"), ...board.modules },
  };
}

function describeMatcher(predicate) {
  if (typeof predicate === "function") return predicate.toString();
  return JSON.stringify(predicate, (k, v) => (v instanceof RegExp ? v.toString() : v));
}

function matcher(predicate) {
  if (typeof predicate === "function") return predicate;
  const { board, kind, detail } = predicate;
  return (e) => (board === undefined || e.board === board) && (kind === undefined || e.kind === kind) &&
    (detail === undefined || (detail instanceof RegExp ? detail.test(e.detail) : e.detail === detail));
}

/**
 * Spawns the emulator. Options: lua ("lua5.1" | "lua5.3"; default: the `lua` of the first board naming a
 * boards.json entry, else lua5.1), boards (spec boards as JS objects),
 * durationMs (undefined: until stop()), heapReportMs, extra (more top-level spec fields).
 * Returns { events, on(kind, fn), waitFor(predicate, timeoutMs), stop(), exited, stderr() }.
 */
export function startNodeMcuHost({ lua, boards, durationMs, heapReportMs, extra = {} } = {}) {
  if (!Array.isArray(boards) || boards.length === 0) throw new Error("startNodeMcuHost: boards must list at least one board");
  const named = boards.find((b) => b.board);
  lua ??= named ? `lua${loadBoards()[named.board]?.lua ?? "5.1"}` : "lua5.1";
  checkLua(lua);
  const dir = mkdtempSync(join(tmpdir(), "nodemcu-emu-"));
  const specPath = join(dir, "spec.lua");
  const spec = { ...extra, duration_ms: durationMs, heap_report_ms: heapReportMs, boards: boards.map(withBoardDefaults) };
  writeFileSync(specPath, "return " + toLua(spec) + "\n");

  const t0 = Date.now();
  const proc = spawn(lua, [HOST_LUA, specPath], { stdio: ["pipe", "pipe", "pipe"] });
  running.add(proc);
  const events = [];
  const listeners = new Set();
  let stderr = "";

  const push = (e) => {
    events.push(e);
    for (const l of [...listeners]) l(e);
  };
  const onLine = (line) => {
    const m = /^@@ (\S+) (\S+)(?: (.*))?$/.exec(line);
    if (m) {
      const bytes = unescapeDetail(m[3] ?? "");
      push({ board: m[1], kind: m[2], detail: bytes.toString("latin1"), bytes, line, atMs: Date.now() - t0 });
    } else if (line !== "") {
      push({ board: "-", kind: "stdout", detail: line, bytes: Buffer.from(line, "latin1"), line, atMs: Date.now() - t0 });
    }
  };
  let pending = "";
  proc.stdout.on("data", (chunk) => {
    pending += chunk.toString("latin1");
    let nl;
    while ((nl = pending.indexOf("\n")) >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  });
  proc.stderr.on("data", (chunk) => {
    const text = chunk.toString("latin1");
    stderr = (stderr + text).slice(-KEEP_STDERR);
    for (const line of text.split("\n")) {
      if (line) push({ board: "-", kind: "stderr", detail: line, bytes: Buffer.from(line, "latin1"), line, atMs: Date.now() - t0 });
    }
  });
  proc.stdin.on("error", () => {}); // EPIPE after the host exited

  const exitInfo = { done: false, code: null, signal: null };
  const exited = new Promise((resolve) => {
    proc.once("close", (code, signal) => {
      if (pending) onLine(pending);
      Object.assign(exitInfo, { done: true, code, signal });
      running.delete(proc);
      for (const l of [...listeners]) l(null);
      resolve({ code, signal });
    });
    proc.once("error", (error) => {
      stderr += String(error);
      Object.assign(exitInfo, { done: true, code: error.message });
      running.delete(proc);
      for (const l of [...listeners]) l(null);
      resolve({ code: error.message, signal: null });
    });
  });

  const recent = (n = 40) => events.slice(-n).map((e) => e.line).join("\n");

  return {
    events,
    specPath,
    proc,
    exited,
    stderr: () => stderr,

    /** Calls fn(event) for each new event of kind ("*": all). Returns a function that unsubscribes. */
    on(kind, fn) {
      const l = (e) => {
        if (e && (kind === "*" || e.kind === kind)) fn(e);
      };
      listeners.add(l);
      return () => listeners.delete(l);
    },

    /**
     * Resolves with the first event (already seen or new) matching predicate: a function or
     * { board, kind, detail (string or RegExp) }. Rejects after timeoutMs or when the host exits first.
     */
    waitFor(predicate, timeoutMs = 10000) {
      const match = matcher(predicate);
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        let timer;
        const done = (fn, v) => {
          clearTimeout(timer);
          listeners.delete(l);
          fn(v);
        };
        const l = (e) => {
          if (e === null) {
            done(reject, new Error(`NodeMCU emulator exited (code ${exitInfo.code}, signal ${exitInfo.signal}) before ${describeMatcher(predicate)}\nlast events:\n${recent()}\nstderr:\n${stderr}`));
          } else if (match(e)) {
            done(resolve, e);
          }
        };
        timer = setTimeout(() => done(reject, new Error(`waitFor timed out after ${timeoutMs} ms: ${describeMatcher(predicate)}\nlast events:\n${recent()}`)), timeoutMs);
        if (exitInfo.done) l(null);
        else listeners.add(l);
      });
    },

    /** Sends a command line to the host: "wifi <board> down|up", "reset <board> down|up" (host.lua). */
    command(line) {
      if (!exitInfo.done) proc.stdin.write(`${line}\n`);
    },

    /** Asks the host to stop ("stop" on stdin), kills it after 5 s, removes the spec. */
    async stop() {
      if (!exitInfo.done) {
        try {
          proc.stdin.write("stop\n");
          proc.stdin.end();
        } catch {
          // already gone
        }
        const timer = setTimeout(() => proc.kill("SIGKILL"), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
      return { code: exitInfo.code, signal: exitInfo.signal };
    },
  };
}
