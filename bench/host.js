// Host throughput of the JS build (the full profile's test build, driven from Node over a real socket by
// bench/node-transport.js, the core unchanged) against the `nats` npm client, both against one
// nats-server started for the run, in one process: msg/s each and the ratio nats-mcu / nats.js.
//
//   publish 16 B, 1 KB  n publishes to a subject nobody subscribes to, timed until a flush's PONG (the
//                       server has them all). nats-mcu: publish() until out_full, then again after the
//                       next write completion; its flush() PING is a control line, written ahead of
//                       queued ops, so the out-queue is waited empty before flush().
//   receive 16 B        a subscription draining n messages a raw socket peer has published (coalesced
//                       PUBs, the same peer for every client): the subscriber's socket is paused while
//                       the server takes them all, then timed from resuming it to the nth callback, so
//                       neither the sender nor the server paces the client. nats.js subscribes with a
//                       callback (its fastest path).
//   request/reply 16 B  n sequential round trips to a raw socket responder (the same for every client);
//                       one msg = one round trip.
//
// raw is the `net` floor: coalesced PUB lines written straight to a socket (publish), a socket subscriber
// that only finds message boundaries (receive), a socket requester (request/reply). Payloads: nats-mcu
// gets JS strings (one char per byte, as on Espruino), nats.js gets Uint8Array (what its users pass).
// Every client is warmed up, then the rounds interleave the clients (a change in the machine's load hits
// them alike) and each reports its median. Besides msg/s, each run's CPU time of this process per message
// (user + system, all threads, so the in-process responder is in the request/reply figures): when other
// work shares the machine, msg/s swings with the scheduler, CPU per message much less. No forced GC
// between runs: after a full GC (node --expose-gc and gc()) V8 starts again from a small young
// generation, which made nats.js's publishes ~1.7x dearer. Performance is reported, never asserted.
// Run: node bench/host-cli.js [--smoke] [--json] [--build file]
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import { relative } from "node:path";
import { performance } from "node:perf_hooks";
import { connect as natsJsConnect } from "nats";
import { startServer } from "../sim/server/nats-server.js";
import { testBuildPath } from "../test/build/build-tests.js";
import { ROOT } from "../tools/boards.js";
import { connectTestBuild } from "./node-transport.js";

const FULL = { pub16: 2000000, pub1k: 500000, recv: 1000000, rr: 10000, repeat: 3 };
const SMOKE = { pub16: 200, pub1k: 200, recv: 200, rr: 200, repeat: 1 };
/** Room at the server for the receive backlog (1M × 40 B) of a paused subscriber. */
const SERVER_CONFIG = "max_pending: 536870912\nwrite_deadline: \"30s\"\n";
// A 256 KB out-queue (4 writes of 64 KB): on V8 a longer queue keeps its op strings alive across
// scavenges, and a 16 B publish cost ~1.5x the CPU with 1 MB, ~2.2x with 2 MB (1 KB ones: no change).
const OUR_OPTIONS = { name: "bench", pingInterval: 0, outBuffer: 262144, maxPayload: 1048576, timeout: 5000 };
const SUBJECT = { pub: "bench.pub", recv: "bench.recv", rr: "bench.rr", rawReply: "bench.raw.reply" };
const CRLF = Buffer.from("\r\n");

/** Resolves or rejects with promise, or rejects after ms naming what was awaited. */
async function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A promise and the function that resolves it. */
function signal() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A started clock; stop() gives the wall seconds and the process's CPU seconds (user + system) since. */
function startClock() {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  return {
    stop() {
      const cpu = process.cpuUsage(cpu0);
      return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
    },
  };
}

/** size bytes of a fixed pattern, as each client takes them. */
function payload(size) {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = 97 + (i % 26);
  return { size, bytes, str: bytes.toString("latin1"), u8: new Uint8Array(bytes) };
}

/** The size at the end of a MSG line (before its CR LF). */
function msgSize(line) {
  let i = line.length - 1;
  while (i >= 0 && (line[i] === 10 || line[i] === 13)) i--;
  let n = 0;
  for (let m = 1; i >= 0 && line[i] >= 48 && line[i] <= 57; i--, m *= 10) n += (line[i] - 48) * m;
  return n;
}

/**
 * A raw NATS connection over a net.Socket: writes protocol text as given and scans what arrives for line
 * and payload boundaries only (PING answered, PONG matched to flush(), onMsg(line) per complete MSG).
 */
class RawConn {
  static async open(port, name) {
    const conn = new RawConn(net.connect({ host: "127.0.0.1", port }), name);
    await within(5000, `raw ${name} handshake`, conn.handshake());
    return conn;
  }

  constructor(socket, name) {
    this.socket = socket;
    this.name = name;
    this.partial = undefined;
    this.skip = 0;
    this.line = undefined;
    this.info = signal();
    this.pongs = [];
    this.onMsg = () => {};
    this.closed = false;
    /** Rejects when the connection ends, for waits to race against. */
    this.lost = signal();
    this.lost.promise.catch(() => {});
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.feed(chunk));
    socket.on("error", (e) => this.fail(`raw ${name}: ${e.message}`));
    socket.on("close", () => {
      this.closed = true;
      this.fail(`raw ${name}: connection closed`);
    });
  }

  async handshake() {
    await this.info.promise;
    this.socket.write("CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1,\"lang\":\"raw\",\"version\":\"0\"}\r\n");
    await this.flush();
  }

  write(data) {
    return this.socket.write(data);
  }

  flush() {
    const pong = signal();
    if (this.closed) pong.reject(new Error(`raw ${this.name}: connection closed`));
    this.pongs.push(pong);
    this.socket.write("PING\r\n");
    return pong.promise;
  }

  drained() {
    return new Promise((resolve) => this.socket.once("drain", resolve));
  }

  /** n PUBs of p (payload()) to subject, coalesced into writes of about 64 KB of whole ops. */
  async publish(subject, p, n) {
    const op = Buffer.concat([Buffer.from(`PUB ${subject} ${p.size}\r\n`), p.bytes, CRLF]);
    const per = Math.max(1, Math.floor(65536 / op.length));
    const chunk = Buffer.concat(new Array(per).fill(op));
    for (let left = n; left > 0; left -= per) {
      const k = Math.min(per, left);
      if (!this.write(k === per ? chunk : chunk.subarray(0, k * op.length))) await this.drained();
    }
  }

  close() {
    this.socket.destroy();
  }

  fail(message) {
    this.lost.reject(new Error(message));
    const pongs = this.pongs;
    this.pongs = [];
    for (const pong of pongs) pong.reject(new Error(message));
  }

  feed(chunk) {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.skip > 0) {
        const k = Math.min(this.skip, chunk.length - pos);
        this.skip -= k;
        pos += k;
        if (this.skip === 0) this.onMsg(this.line);
        continue;
      }
      const lf = chunk.indexOf(10, pos);
      if (lf < 0) {
        this.partial = this.partial ? Buffer.concat([this.partial, chunk.subarray(pos)]) : chunk.subarray(pos);
        return;
      }
      let line = chunk.subarray(pos, lf + 1);
      if (this.partial) {
        line = Buffer.concat([this.partial, line]);
        this.partial = undefined;
      }
      pos = lf + 1;
      this.op(line);
    }
  }

  op(line) {
    const c = line[0];
    if (c === 77) {
      // MSG: its payload and CR LF follow
      this.line = line;
      this.skip = msgSize(line) + 2;
    } else if (c === 80 && line[1] === 73) {
      this.socket.write("PONG\r\n");
    } else if (c === 80 && line[1] === 79) {
      this.pongs.shift()?.resolve();
    } else if (c === 73) {
      this.info.resolve();
    } else if (c === 45) {
      this.fail(`raw ${this.name}: ${line.toString("latin1").trim()}`);
    }
  }
}

/** The reply subject of a MSG line (MSG subject sid reply size), or undefined. */
function replyOf(line) {
  const args = line.toString("latin1").trim().split(" ");
  return args.length === 5 ? args[3] : undefined;
}

/** The responder of the request/reply measures: answers each MSG on subject with p. */
function serve(responder, subject, p) {
  const head = Buffer.from(` ${p.size}\r\n`);
  const tail = Buffer.concat([p.bytes, CRLF]);
  responder.onMsg = (line) => {
    const reply = replyOf(line);
    if (reply !== undefined) responder.write(Buffer.concat([Buffer.from(`PUB ${reply}`), head, tail]));
  };
  responder.write(`SUB ${subject} 1\r\n`);
  return responder.flush();
}

/**
 * The receive measure: the subscriber's socket is paused while the peer publishes n messages; after
 * the peer's flush the server holds them all for the subscriber, so neither the sender nor the server
 * paces it. Timed from resuming the socket to the nth delivery (all).
 */
async function drainTimed(socket, peer, p, n, all) {
  socket.pause();
  try {
    await peer.publish(SUBJECT.recv, p, n);
    await peer.flush();
  } catch (error) {
    socket.resume();
    throw error;
  }
  const clock = startClock();
  socket.resume();
  await all;
  return clock.stop();
}

// nats-mcu (the JS test build over bench/node-transport.js)

/** flush() once the out-queue is empty: the core writes its PING ahead of queued ops. */
async function oursFlush(client) {
  const { nc, transport } = client;
  while (nc.stats().pendingBytes > 0) await transport.nextWrite();
  const pong = signal();
  nc.flush((err) => (err === undefined ? pong.resolve() : pong.reject(new Error(`nats-mcu flush: ${err}`))));
  return pong.promise;
}

async function oursPublish(client, subject, p, n) {
  const { nc, transport } = client;
  const clock = startClock();
  for (let i = 0; i < n; ) {
    while (i < n && nc.publish(subject, p.str)) i++;
    if (i < n) {
      if (nc.lastError() !== "out_full") throw new Error(`nats-mcu publish refused: ${nc.lastError()}`);
      await transport.nextWrite();
    }
  }
  await oursFlush(client);
  return clock.stop();
}

async function oursReceive(client, peer, p, n) {
  const { nc, transport } = client;
  const all = signal();
  let count = 0;
  const sid = nc.subscribe(SUBJECT.recv, () => {
    if (++count === n) all.resolve();
  });
  if (sid === 0) throw new Error(`nats-mcu subscribe refused: ${nc.lastError()}`);
  await oursFlush(client);
  const s = await drainTimed(transport, peer, p, n, all.promise);
  nc.unsubscribe(sid);
  await oursFlush(client);
  return s;
}

function oursRequests(client, p, n) {
  const { nc } = client;
  const all = signal();
  const clock = startClock();
  let done = 0;
  const next = () => nc.request(SUBJECT.rr, p.str, 5000, onReply);
  const onReply = (err) => {
    if (err !== undefined) all.reject(new Error(`nats-mcu request ${done + 1}: ${err}`));
    else if (++done === n) all.resolve(clock.stop());
    else next();
  };
  next();
  return all.promise;
}

// nats.js

async function jsPublish(nc, subject, p, n) {
  const clock = startClock();
  for (let i = 0; i < n; i++) nc.publish(subject, p.u8);
  await nc.flush();
  return clock.stop();
}

async function jsReceive(nc, peer, p, n) {
  const all = signal();
  let count = 0;
  const sub = nc.subscribe(SUBJECT.recv, {
    callback: (err) => {
      if (err) all.reject(err);
      else if (++count === n) all.resolve();
    },
  });
  await nc.flush();
  const s = await drainTimed(jsSocket(nc), peer, p, n, all.promise);
  sub.unsubscribe();
  await nc.flush();
  return s;
}

/** The net.Socket under a nats.js connection (internal, nats 2.x): paused for the receive backlog. */
function jsSocket(nc) {
  const socket = nc.protocol?.transport?.socket;
  if (typeof socket?.pause !== "function") throw new Error("nats.js: no socket at nc.protocol.transport.socket (nats 2.x internals changed)");
  return socket;
}

async function jsRequests(nc, p, n) {
  const clock = startClock();
  for (let i = 0; i < n; i++) await nc.request(SUBJECT.rr, p.u8, { timeout: 5000 });
  return clock.stop();
}

// the raw floor

async function rawPublish(raw, subject, p, n) {
  const clock = startClock();
  await raw.publish(subject, p, n);
  await raw.flush();
  return clock.stop();
}

async function rawReceive(raw, peer, p, n) {
  const all = signal();
  let count = 0;
  raw.onMsg = () => {
    if (++count === n) all.resolve();
  };
  raw.write(`SUB ${SUBJECT.recv} 7\r\n`);
  await raw.flush();
  const s = await drainTimed(raw.socket, peer, p, n, all.promise);
  raw.write("UNSUB 7\r\n");
  await raw.flush();
  raw.onMsg = () => {};
  return s;
}

async function rawRequests(raw, p, n) {
  const op = Buffer.concat([Buffer.from(`PUB ${SUBJECT.rr} ${SUBJECT.rawReply} ${p.size}\r\n`), p.bytes, CRLF]);
  raw.write(`SUB ${SUBJECT.rawReply} 9\r\n`);
  await raw.flush();
  const all = signal();
  const clock = startClock();
  let done = 0;
  raw.onMsg = () => {
    if (++done === n) all.resolve(clock.stop());
    else raw.write(op);
  };
  raw.write(op);
  const s = await all.promise;
  raw.write("UNSUB 9\r\n");
  await raw.flush();
  raw.onMsg = () => {};
  return s;
}

/** The measures: per test, how each client runs n (returning its clock: wall and CPU seconds). */
function measures(c, sizes) {
  const p16 = payload(16);
  const p1k = payload(1024);
  return [
    {
      test: "publish 16 B", target: 3, n: sizes.pub16,
      natsMcu: (n) => oursPublish(c.ours, SUBJECT.pub, p16, n),
      natsJs: (n) => jsPublish(c.js, SUBJECT.pub, p16, n),
      raw: (n) => rawPublish(c.raw, SUBJECT.pub, p16, n),
    },
    {
      test: "publish 1 KB", target: 2, n: sizes.pub1k,
      natsMcu: (n) => oursPublish(c.ours, SUBJECT.pub, p1k, n),
      natsJs: (n) => jsPublish(c.js, SUBJECT.pub, p1k, n),
      raw: (n) => rawPublish(c.raw, SUBJECT.pub, p1k, n),
    },
    {
      test: "receive 16 B", target: 1.5, n: sizes.recv,
      natsMcu: (n) => oursReceive(c.ours, c.peer, p16, n),
      natsJs: (n) => jsReceive(c.js, c.peer, p16, n),
      raw: (n) => rawReceive(c.raw, c.peer, p16, n),
    },
    {
      test: "request/reply 16 B", target: null, n: sizes.rr,
      natsMcu: (n) => oursRequests(c.ours, p16, n),
      natsJs: (n) => jsRequests(c.js, p16, n),
      raw: (n) => rawRequests(c.raw, p16, n),
    },
  ];
}

/** The clock of one run of one client; rejects naming the run when it fails, times out or loses a link. */
async function timed(what, run, n, timeoutMs, lost) {
  try {
    return await within(timeoutMs, what, Promise.race([run(n), ...lost]));
  } catch (error) {
    throw new Error(error.message.startsWith(what) ? error.message : `${what}: ${error.message}`, { cause: error });
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Each client on one test: a warm-up run each, then repeat rounds of one timed run each, interleaved so
 * that a change in the machine's load hits every client alike. Per client the median msg/s, and the
 * median CPU ns per message (this process's user + system time: steadier than msg/s when other work
 * shares the machine).
 */
async function runMeasure(m, c, { repeat, timeoutMs }, log) {
  const clients = [
    { key: "natsMcu", name: "nats-mcu", run: m.natsMcu, lost: [c.ours.lost, c.rawLost], rates: [], cpu: [] },
    { key: "natsJs", name: "nats.js", run: m.natsJs, lost: [c.jsLost, c.rawLost], rates: [], cpu: [] },
    { key: "raw", name: "raw", run: m.raw, lost: [c.rawLost], rates: [], cpu: [] },
  ].filter((client) => client.run !== null);
  for (const client of clients) {
    await timed(`${m.test}: ${client.name} (warm-up)`, client.run, Math.max(50, Math.floor(m.n / 10)), timeoutMs, client.lost);
  }
  for (let k = 0; k < repeat; k++) {
    for (const client of clients) {
      const { seconds, cpuSeconds } = await timed(`${m.test}: ${client.name}`, client.run, m.n, timeoutMs, client.lost);
      client.rates.push(Math.round(m.n / seconds));
      client.cpu.push(Math.round((cpuSeconds * 1e9) / m.n));
    }
  }
  const row = { test: m.test, unit: "msg/s", n: m.n, natsMcu: null, natsJs: null, raw: null, ratio: null, target: m.target };
  const cpuNsPerMsg = { natsMcu: null, natsJs: null, raw: null };
  for (const client of clients) {
    row[client.key] = median(client.rates);
    cpuNsPerMsg[client.key] = median(client.cpu);
  }
  row.ratio = Number((row.natsMcu / row.natsJs).toFixed(2));
  Object.assign(row, { cpuNsPerMsg, cpuRatio: Number((cpuNsPerMsg.natsJs / cpuNsPerMsg.natsMcu).toFixed(2)) });
  const runs = clients.map((client) => `${client.name} ${client.rates.map((v) => v.toLocaleString("en")).join(" / ")} (${client.cpu.join(" / ")} ns CPU)`);
  log(`${m.test} (n ${m.n}, msg/s per run): ${runs.join("; ")}; ratio of medians ${row.ratio}, CPU ratio ${row.cpuRatio}`);
  return row;
}

/** The clients and raw peers of the run, each added to closers as it opens. */
async function openClients(server, build, closers) {
  const ours = await connectTestBuild(server.url, OUR_OPTIONS, { file: build });
  closers.push(() => ours.close());
  const js = await natsJsConnect({ servers: server.url, reconnect: false, name: "bench-nats.js" });
  closers.push(() => js.close());
  const c = { ours, js };
  // nats.js resolves closed() with the error that ended the connection: a wait racing it fails then
  c.jsLost = js.closed().then((err) => {
    throw new Error(`nats.js connection ended${err ? `: ${err.message}` : ""}`);
  });
  c.jsLost.catch(() => {});
  for (const name of ["raw", "peer", "responder"]) {
    c[name] = await RawConn.open(server.port, name);
    closers.push(async () => c[name].close());
  }
  c.rawLost = Promise.race([c.raw.lost.promise, c.peer.lost.promise, c.responder.lost.promise]);
  c.rawLost.catch(() => {});
  await serve(c.responder, SUBJECT.rr, payload(16));
  return c;
}

/** Which build is measured: others rebuild the test build while they work, so the run names it. */
function describeBuild(file) {
  if (!existsSync(file)) throw new Error(`${file} is missing: build it with node test/build/build-tests.js`);
  const text = readFileSync(file);
  return { file: relative(ROOT, file), modified: statSync(file).mtime.toISOString(), sha256: createHash("sha256").update(text).digest("hex").slice(0, 12) };
}

/**
 * Runs every measure against one nats-server started for the run (stopped at the end, also on error).
 * build: the nats-mcu file to load (default: the full profile's test build). Returns
 * { build: { file, modified, sha256 }, rows: [{ test, unit, n, natsMcu, natsJs, raw, ratio, target,
 * cpuNsPerMsg: { natsMcu, natsJs, raw }, cpuRatio }] }: ratio is nats-mcu msg/s / nats.js msg/s, cpuRatio
 * nats.js CPU per message / nats-mcu CPU per message (both: how many times better nats-mcu does).
 */
export async function hostBench({ smoke = false, log = console.log, build = testBuildPath("espruino", "full", "client") } = {}) {
  const sizes = smoke ? SMOKE : FULL;
  const run = { repeat: sizes.repeat, timeoutMs: smoke ? 10000 : 60000 };
  const measured = describeBuild(build);
  log(`nats-mcu build: ${measured.file} (${measured.modified}, sha256 ${measured.sha256})`);
  const server = await startServer({ config: SERVER_CONFIG });
  const closers = [];
  try {
    const c = await openClients(server, build, closers);
    const rows = [];
    for (const m of measures(c, sizes)) rows.push(await runMeasure(m, c, run, log));
    return { build: measured, rows };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    await server.stop();
  }
}
