// require("net") sockets backed by node:net, with the genuine event semantics of libs/network/socketserver.c
// (github.com/espruino/Espruino) and the observations of espruino.md §4:
// * connect callback = "connect" listener, called with the socket; a "drain" follows when nothing is queued;
// * "data" carries a binary string of at most recvChunkBytes, one chunk per idle-loop turn (here: per macrotask),
//   split at seeded positions; on a seeded third of connections the first chunk comes before "connect" (§4);
// * write() queues bytes that go out sendChunkBytes per turn; "drain" when all of them were handed to the OS;
// * closing fires "error" {code, message} only for a real error, then "end", then "close"(had_error).
//   Remote close or reset: the ESP32 port reads -1 (SOCKET_ERR_CLOSED, not an error) from lwIP, while the
//   ESP8266 port maps espconn's reset/refusal to -9 "connection reset". A refused ESP32 connection first
//   reports "connect" (its recv() returns 0 while connecting), then closes. Unsent data turns any close into -8.
// Only 127.0.0.1 is ever contacted: any other host fails as a DNS miss.
// The link can go down (the station lost its access point: the simulator's `wifi` fault): open sockets close
// with an error (ESP8266: espconn's reset, -9; ESP32: lwIP's recv fails, read as -1 like a remote close), and a
// connect fails with -4 "no route" until the link is back.
import net from "node:net";
import { dataBeforeConnect, randomStream } from "./rng.js";

const ERR = { CLOSED: -1, TIMEOUT: -3, NO_ROUTE: -4, NOT_FOUND: -6, UNSENT_DATA: -8, RESET: -9, UNKNOWN: -10 };
// libs/network/socketerrors.c, indexed by -1 - code
const MESSAGES = ["connection closed", "out of memory", "timeout", "no route", "busy", "not found", "max sockets",
  "unsent data", "connection reset", "unknown error", "no connection", "bad argument", "SSL handshake failed",
  "invalid SSL data", "no response"];
const FULL_CHUNK_PROBABILITY = 0.4;
const LINGER_MS = 1000;
const DATA_FIRST_WAIT_MS = 200; // a data-first connection whose server stays silent still gets its connect event

const LOOPBACK = new Set(["127.0.0.1", "localhost"]);

function esp8266Code(error) {
  switch (error?.code) {
    case "ETIMEDOUT": return ERR.TIMEOUT;
    case "EHOSTUNREACH": case "ENETUNREACH": return ERR.NO_ROUTE;
    case "ECONNREFUSED": case "ECONNRESET": case "EPIPE": return ERR.RESET;
    default: return ERR.UNKNOWN;
  }
}

/**
 * @param {object} env
 * @param {number} env.seed
 * @param {string} env.chip "esp32" | "esp8266"
 * @param {{recvChunkBytes: number, sendChunkBytes: number}} env.socket
 * @param {(obj: object, event: string, args: unknown[]) => void} env.emit dispatches into the board (crash-guarded)
 * @param {(code: number, message: string) => unknown} env.errorDetails builds the board-side {code, message}
 * @param {(line: string) => void} env.warn
 */
export function createNetwork(env) {
  const sockets = new Set();
  const lingering = new Set(); // node sockets closed by the board, waiting for their FIN to go out
  const stats = {
    socketsOpened: 0, bytesIn: 0, bytesOut: 0, chunksIn: 0, maxChunkIn: 0, chunksOut: 0, maxChunkOut: 0, writes: 0,
    dataBeforeConnect: 0, connections: [],
  };
  let index = 0;
  let stopped = false;
  let linkUp = true;

  const later = (fn) => setImmediate(() => {
    if (!stopped) fn();
  });

  function open(obj, host, port) {
    const s = {
      obj, index: index++, host, port, node: undefined, tcpUp: false, connectEmitted: false, closing: false, closed: false,
      recv: [], recvBytes: 0, recvScheduled: false, remoteDone: false, error: undefined,
      pending: "", sending: false, pumpScheduled: false, waitTimer: undefined,
    };
    s.dataFirst = dataBeforeConnect(env.seed, s.index);
    const rand = randomStream(env.seed, `recv-chunks/${s.index}`);
    s.nextChunk = () => {
      const max = env.socket.recvChunkBytes;
      return rand() < FULL_CHUNK_PROBABILITY ? max : 1 + Math.floor(rand() * max);
    };
    s.record = { index: s.index, host, port, dataBeforeConnectPlanned: s.dataFirst, firstEvent: undefined };
    stats.connections.push(s.record);
    stats.socketsOpened++;
    sockets.add(s);

    if (!linkUp) {
      s.remoteDone = true;
      later(() => finish(ERR.NO_ROUTE, s));
      return s;
    }
    if (!LOOPBACK.has(host)) {
      s.remoteDone = true;
      s.error = { code: "ENOTFOUND" };
      later(() => finish(ERR.NOT_FOUND, s));
      return s;
    }
    const node = net.connect({ host: "127.0.0.1", port });
    s.node = node;
    node.setNoDelay(true);
    node.on("connect", () => {
      s.tcpUp = true;
      if (s.dataFirst) s.waitTimer = setTimeout(() => !s.closed && !s.connectEmitted && emitConnect(s), DATA_FIRST_WAIT_MS);
      else later(() => !s.closed && !s.connectEmitted && emitConnect(s));
      schedulePump(s);
    });
    node.on("data", (buf) => {
      stats.bytesIn += buf.length;
      s.recv.push(buf);
      s.recvBytes += buf.length;
      scheduleRecv(s);
    });
    node.on("error", (error) => {
      s.error ??= error;
    });
    node.on("close", () => {
      s.remoteDone = true;
      scheduleRecv(s);
    });
    return s;
  }

  // Both events are queued before the connect callback runs (socketserver.c), so "drain" follows even when
  // that callback writes.
  function emitConnect(s) {
    clearTimeout(s.waitTimer);
    s.connectEmitted = true;
    s.record.firstEvent ??= "connect";
    const drainToo = s.pending.length === 0 && !s.sending;
    env.emit(s.obj, "connect", [s.obj]);
    if (drainToo && !s.closed) env.emit(s.obj, "drain", [s.obj]);
  }

  function scheduleRecv(s) {
    if (s.recvScheduled || s.closed) return;
    s.recvScheduled = true;
    later(() => {
      s.recvScheduled = false;
      recvStep(s);
    });
  }

  function takeBytes(s, n) {
    const parts = [];
    let need = n;
    while (need > 0) {
      const head = s.recv[0];
      if (head.length <= need) {
        parts.push(head);
        s.recv.shift();
        need -= head.length;
      } else {
        parts.push(head.subarray(0, need));
        s.recv[0] = head.subarray(need);
        need = 0;
      }
    }
    s.recvBytes -= n;
    return Buffer.concat(parts).toString("latin1");
  }

  // One idle-loop turn of socketClientConnectionsIdle for this socket: one chunk, or the close once drained.
  function recvStep(s) {
    if (s.closed) return;
    if (s.recvBytes > 0) {
      const chunk = takeBytes(s, Math.min(s.recvBytes, s.nextChunk()));
      stats.chunksIn++;
      stats.maxChunkIn = Math.max(stats.maxChunkIn, chunk.length);
      if (!s.connectEmitted) {
        s.record.firstEvent ??= "data";
        stats.dataBeforeConnect++;
      }
      env.emit(s.obj, "data", [chunk]);
      // the data handler runs inside the idle loop; the connect callback was only queued (socketserver.c)
      if (!s.closed && !s.connectEmitted) emitConnect(s);
      if (s.recvBytes > 0 || s.remoteDone) scheduleRecv(s);
      return;
    }
    if (s.remoteDone) {
      if (env.chip === "esp8266") return finish(s.error ? esp8266Code(s.error) : ERR.CLOSED, s);
      if (!s.connectEmitted) emitConnect(s);
      finish(ERR.CLOSED, s);
    }
  }

  function finish(code, s) {
    if (s.closed) return;
    let error = code;
    if (error === ERR.CLOSED && s.pending.length > 0) error = ERR.UNSENT_DATA;
    close(s);
    const hadError = error < 0 && error !== ERR.CLOSED;
    if (hadError) env.emit(s.obj, "error", [env.errorDetails(error, MESSAGES[-1 - error] ?? "unknown error")]);
    env.emit(s.obj, "end", []);
    env.emit(s.obj, "close", [hadError]);
  }

  function close(s) {
    s.closed = true;
    clearTimeout(s.waitTimer);
    sockets.delete(s);
    const node = s.node;
    if (!node || node.destroyed) return;
    if (s.closing && s.pending.length === 0) {
      // everything was handed to the OS: a graceful FIN, with a deadline
      lingering.add(node);
      node.once("close", () => lingering.delete(node));
      setTimeout(() => node.destroy(), LINGER_MS).unref();
      node.end();
    } else {
      node.destroy();
    }
  }

  function schedulePump(s) {
    if (s.pumpScheduled || s.sending || s.closed || !s.tcpUp) return;
    s.pumpScheduled = true;
    later(() => {
      s.pumpScheduled = false;
      pumpStep(s);
    });
  }

  // One socketSendData call: at most sendChunkBytes handed to the OS per turn.
  function pumpStep(s) {
    if (s.closed || s.sending || !s.tcpUp) return;
    if (s.pending.length === 0) {
      if (s.closing) finish(0, s);
      return;
    }
    const chunk = s.pending.slice(0, env.socket.sendChunkBytes);
    s.pending = s.pending.slice(chunk.length);
    s.sending = true;
    stats.chunksOut++;
    stats.maxChunkOut = Math.max(stats.maxChunkOut, chunk.length);
    s.node.write(Buffer.from(chunk, "latin1"), (error) => {
      s.sending = false;
      if (stopped || s.closed) return;
      if (error) return; // the close that follows reports it
      stats.bytesOut += chunk.length;
      if (s.pending.length > 0) schedulePump(s);
      else if (s.closing) later(() => finish(0, s));
      else env.emit(s.obj, "drain", [s.obj]);
    });
  }

  return {
    stats,
    /** Opens a connection for the board-side socket object; the handle goes back to the board. */
    connect: open,
    isOpen: (s) => !s.closed && !s.closing,
    /** Queues a byte string; the caller checks isOpen first. */
    write(s, data) {
      stats.writes++;
      for (let i = 0; i < data.length; i++) {
        if (data.charCodeAt(i) > 255) {
          env.warn(`socket.write: char ${data.charCodeAt(i)} at index ${i} is not a byte (Espruino strings are 8-bit, espruino.md §1 trap 5); only its low byte is sent`);
          break;
        }
      }
      s.pending += data;
      schedulePump(s);
    },
    end(s) {
      if (s.closed || s.closing) return;
      s.closing = true;
      if (s.pending.length === 0 && !s.sending) later(() => finish(0, s));
    },
    /** The station's link: down closes every socket with the chip's error; up lets connects through again. */
    setLink(up) {
      linkUp = up;
      if (up) return;
      for (const s of [...sockets]) {
        s.remoteDone = true;
        s.pending = ""; // what was queued never goes out
        finish(env.chip === "esp8266" ? ERR.RESET : ERR.CLOSED, s);
      }
    },
    /** Bytes queued by write() and not yet handed to the OS, over all sockets. */
    pendingBytes: () => [...sockets].reduce((sum, s) => sum + s.pending.length, 0),
    get openCount() {
      return sockets.size;
    },
    /** Destroys every socket without further events; resolves when node has closed them. */
    stop() {
      stopped = true;
      const closing = [];
      for (const s of sockets) {
        s.closed = true;
        clearTimeout(s.waitTimer);
        if (s.node && !s.node.destroyed) {
          closing.push(new Promise((resolve) => s.node.once("close", resolve)));
          s.node.destroy();
        }
      }
      sockets.clear();
      for (const node of lingering) {
        closing.push(new Promise((resolve) => node.once("close", resolve)));
        node.destroy();
      }
      lingering.clear();
      return Promise.all(closing).then(() => {});
    },
  };
}
