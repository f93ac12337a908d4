// A Node net.Socket transport for the JS test build (test/build/io-test.ts), so the unchanged core can
// talk to a real nats-server from the host: socket events become adapter events (0 opened, 1 data as a
// latin1 string, 2 the write in flight has gone, 3 closed, 4 tick), and the core's one write in flight
// is one socket.write of its string as latin1. Used by bench/host.js.
import net from "node:net";
import { performance } from "node:perf_hooks";
import { testBuildPath } from "../test/build/build-tests.js";
import { loadBuild } from "../test/support/load-library.js";

const EV = { open: 0, data: 1, written: 2, closed: 3, tick: 4 };

const now = () => performance.now();

/** The transport object the test build calls (open, write, close, now), over one socket at a time. */
export class NodeTransport {
  constructor(lib, { tickMs = 50 } = {}) {
    this.lib = lib;
    this.socket = undefined;
    this.inWrite = false;
    this.writeWaiters = [];
    this.timer = setInterval(() => lib.adapterEvent(EV.tick, undefined, now()), tickMs);
  }

  now() {
    return now();
  }

  open(host, port) {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    this.socket = socket;
    let error;
    socket.on("connect", () => this.event(socket, EV.open, undefined));
    socket.on("data", (chunk) => this.event(socket, EV.data, chunk.toString("latin1")));
    socket.on("error", (e) => {
      error = e.message;
    });
    socket.on("close", () => {
      this.event(socket, EV.closed, error);
      if (this.socket === socket) this.socket = undefined;
    });
  }

  write(data) {
    const socket = this.socket;
    if (socket === undefined) return;
    this.inWrite = true;
    socket.write(data, "latin1", (error) => {
      if (error) return; // the close event follows and tells the core
      // Node calls write callbacks asynchronously; should one ever come from inside this call, the core
      // (which is still in its pump) must not be re-entered.
      if (this.inWrite) queueMicrotask(() => this.written(socket));
      else this.written(socket);
    });
    this.inWrite = false;
  }

  close() {
    this.socket?.destroy();
  }

  /** Resolves after the core has handled the next write completion (what a full out-queue waits for). */
  nextWrite() {
    return new Promise((resolve) => this.writeWaiters.push(resolve));
  }

  /** Stop and restart reading the socket (the receive bench lets the server hold a backlog). */
  pause() {
    this.socket?.pause();
  }

  resume() {
    this.socket?.resume();
  }

  /** Stop ticking and drop the socket (after the client has closed, or to abandon it). */
  stop() {
    clearInterval(this.timer);
    this.socket?.destroy();
  }

  written(socket) {
    this.event(socket, EV.written, undefined);
    const waiters = this.writeWaiters;
    if (waiters.length > 0) {
      this.writeWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  event(socket, ev, data) {
    if (socket === this.socket) this.lib.adapterEvent(ev, data, now());
  }
}

/**
 * A fresh load of the test build of profile (or of file, e.g. a copy built without name mangling for a
 * profiler) connected to url with options (reconnect off unless given); resolves once its status is
 * "connected" with { lib, nc, transport, errors, lost, close() }. lost is a promise that rejects when
 * the connection ends other than by close(), for waits to race against.
 */
export function connectTestBuild(url, options = {}, { profile = "full", file, chunk = 65536, tickMs = 50, timeoutMs = 5000 } = {}) {
  const lib = loadBuild(file ?? testBuildPath("espruino", profile, "client"));
  const transport = new NodeTransport(lib, { tickMs });
  lib.useTransport(transport, 1);
  lib.setChunk(chunk); // after useTransport, which resets it
  const nc = lib.connect({ servers: url, reconnect: false, ...options });
  const client = { lib, nc, transport, errors: [], closing: false };
  let closed;
  const done = new Promise((resolve) => {
    closed = resolve;
  });
  let loseLink;
  client.lost = new Promise((_, reject) => {
    loseLink = reject;
  });
  client.lost.catch(() => {}); // only a wait racing against it reports the loss
  client.close = (ms = 5000) => closeClient(client, done, ms);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      transport.stop();
      reject(new Error(`nats-mcu did not connect to ${url} within ${timeoutMs} ms (errors: ${client.errors.join(", ") || "none"})`));
    }, timeoutMs);
    nc.onStatus((event, detail) => {
      if (event === "error") client.errors.push(detail);
      if (event === "connect" && nc.status() === "connected") {
        clearTimeout(timer);
        resolve(client);
      }
      if (event === "disconnect" || event === "close") {
        if (event === "close") closed();
        if (!client.closing) {
          const error = new Error(`nats-mcu connection ended: ${event} ${detail ?? ""} (errors: ${client.errors.join(", ") || "none"})`);
          loseLink(error);
          clearTimeout(timer);
          transport.stop();
          reject(error);
        }
      }
    });
    lib.adapterEvent(EV.tick, undefined, now()); // dial now, not at the first timer tick
  });
}

/** close(): what is queued is written, then the socket closes; resolves on the "close" status. */
async function closeClient(client, done, ms) {
  client.closing = true;
  if (client.nc.status() === "closed") {
    client.transport.stop();
    return;
  }
  client.nc.close();
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`nats-mcu did not close within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
    client.transport.stop();
  }
}
