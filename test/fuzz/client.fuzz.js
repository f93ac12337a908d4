// Fuzzing the client (parser and state machine together) through the JS test builds of every profile:
// mutated server streams (from the golden fixtures) in random chunks, interleaved with random API calls
// with arguments of any type, driven by a model of a legal adapter (Open only while opening, Written only
// for a write in flight, Closed for an open socket or after close()). Invariants: nothing throws, one
// write in flight of at most one chunk, nothing written before Open or after close(), every link's bytes
// are well-formed client ops, the out-queue stays within its bound.
import { join } from "node:path";
import fc from "fast-check";
import { PROFILE_NAMES } from "../../tools/build/profiles.js";
import { testBuildPath } from "../build/build-tests.js";
import { wireCases } from "../support/cases.js";
import { loadBuild } from "../support/load-library.js";
import { clientStreamProblem } from "./client-stream.js";

const EV = { open: 0, recv: 1, written: 2, closed: 3, tick: 4 };
const INFO = 'INFO {"server_id":"S","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576,"connect_urls":["h2:4222"]} \r\n';
const WIRES = wireCases().map((c) => c.wire);

// ---- server input -------------------------------------------------------------------------------------
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip"), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("truncate"), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert"), at: fc.nat(), text: fc.constantFrom(
    "\r\n", "\n", "\0", " ", "\t", "PING\r\n", "PONG\r\n", "MSG a 1 999999999\r\n", "MSG a 1 -5\r\n", "MSG a 1 x\r\n",
    "HMSG a 1 20 10\r\n", "-ERR 'Stale Connection'\r\n", "-ERR 'Permissions Violation for Publish to \"x\"'\r\n",
    "+OK\r\n", "pInG\r\n", "INFO {\"ldm\":true} \r\n", "INFO nope\r\n", "x".repeat(5000), "MSG a 1 3\r\nabc", "MSG a 1 2\r\nab\r\n")}),
  fc.record({ kind: fc.constant("delete"), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(wire, m) {
  const at = wire.length === 0 ? 0 : m.at % (wire.length + 1);
  switch (m.kind) {
    case "flip": return wire.slice(0, at) + String.fromCharCode(m.byte) + wire.slice(at + 1);
    case "truncate": return wire.slice(0, at);
    case "insert": return wire.slice(0, at) + m.text + wire.slice(at);
    default: return wire.slice(0, at) + wire.slice(at + m.n);
  }
}

const serverStream = fc
  .record({
    handshake: fc.boolean(),
    wire: fc.constantFrom(...WIRES),
    mutations: fc.array(mutation, { maxLength: 4 }),
  })
  .map(({ handshake, wire, mutations }) => (handshake ? INFO + "PONG\r\n" : "") + mutations.reduce(mutate, wire));

// ---- application calls -------------------------------------------------------------------------------
const anything = fc.oneof(
  fc.constantFrom("a", "a.b", "cmd.>", "x.*", "_INBOX.q", "w", "", " ", "a b", "a\0b", "a..b", ".a", "a.", ">", "*", "a\r\nPUB x 1", "q1"),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(undefined, null, 0, 1, -1, 3, 1.5, 2 ** 31, NaN, true, false, {}, [], { length: 3 }, () => 1),
);
const call = fc.oneof(
  fc.tuple(fc.constant("publish"), fc.array(anything, { maxLength: 3 })),
  fc.tuple(fc.constant("subscribe"), fc.array(anything, { maxLength: 4 })),
  fc.tuple(fc.constant("unsubscribe"), fc.array(anything, { maxLength: 2 })),
  fc.tuple(fc.constant("hpublish"), fc.array(anything, { maxLength: 4 })),
  fc.tuple(fc.constant("request"), fc.array(anything, { maxLength: 4 })),
  fc.tuple(fc.constantFrom("flush", "drain", "close", "status", "lastError", "stats"), fc.constant([])),
);

const action = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("recv"), stream: serverStream, cuts: fc.array(fc.integer({ min: 1, max: 600 }), { maxLength: 6 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("written") }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("open") }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("closed"), reason: fc.constantFrom(undefined, "reset") }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("tick"), dt: fc.integer({ min: 0, max: 40000 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant("call"), call }) },
);

const options = fc.record({
  servers: fc.constantFrom("nats://h:4222", ["nats://h:4222", "nats://u:p@h2:4333"], "bogus", ["tls://x"]),
  outBuffer: fc.constantFrom(undefined, 64, 512),
  maxPayload: fc.constantFrom(undefined, 16, 1024),
  pingInterval: fc.constantFrom(undefined, 0, 1000),
  maxSubs: fc.constantFrom(undefined, 2),
  maxRequests: fc.constantFrom(undefined, 1),
  reconnectWait: fc.constantFrom(undefined, 0, 100),
  name: fc.constantFrom(undefined, "b\"1\\", 7),
}, { requiredKeys: [] });

/** One run; returns undefined, or what broke. */
export function runFuzzCase(lib, opts, actions, chunk) {
  const links = [];
  let socket = "none"; // none | opening | open | closing
  let inFlight = false;
  let clock = 0;
  let problem;
  const transport = {
    now: () => clock,
    open() {
      // a socket that did not close within the timeout is abandoned (the adapters ignore its events)
      if (socket === "opening" || socket === "open") problem ??= `open while a socket is ${socket}`;
      socket = "opening";
      inFlight = false;
      links.push("");
    },
    write(data) {
      if (socket !== "open") problem ??= `write while the socket is ${socket}`;
      if (inFlight) problem ??= "a second write in flight";
      if (data.length > chunk || data.length === 0) problem ??= `write of ${data.length} bytes (chunk ${chunk})`;
      inFlight = true;
      links[links.length - 1] += data;
    },
    close() {
      if (socket === "none") problem ??= "close without a socket";
      socket = "closing";
    },
  };
  const event = (ev, data) => lib.adapterEvent(ev, data, clock);
  try {
    lib.useTransport(transport, 1);
    lib.setChunk(chunk);
    const nc = lib.connect(opts);
    nc.onStatus(() => {});
    const cb = () => {};
    for (const a of actions) {
      if (a.t === "tick") {
        clock += a.dt;
        event(EV.tick);
      } else if (a.t === "open" && socket === "opening") {
        socket = "open";
        event(EV.open);
      } else if (a.t === "written" && inFlight && socket === "open") {
        inFlight = false;
        event(EV.written);
      } else if (a.t === "closed" && socket !== "none") {
        socket = "none";
        inFlight = false;
        event(EV.closed, a.reason);
      } else if (a.t === "recv" && (socket === "opening" || socket === "open")) {
        let at = 0;
        for (const n of [...a.cuts, Infinity]) {
          if (at >= a.stream.length || socket === "none") break;
          event(EV.recv, a.stream.slice(at, at + n));
          at += n;
        }
      } else if (a.t === "call" && typeof nc[a.call[0]] === "function") {
        const [method, args] = a.call;
        const withCb = method === "subscribe" ? [args[0], cb, ...args.slice(1)] : method === "request" ? [...args.slice(0, 3), cb] : method === "flush" || method === "drain" ? [cb] : args;
        nc[method](...withCb);
      }
      if (problem !== undefined) return problem;
      if (typeof nc.stats === "function" && nc.stats().pendingBytes > (opts.outBuffer ?? 65536)) return `out-queue over its bound: ${nc.stats().pendingBytes}`;
      const status = nc.status();
      if (!["connecting", "connected", "reconnecting", "draining", "closed"].includes(status)) return `status ${status}`;
    }
  } catch (e) {
    return `threw: ${e && e.stack ? e.stack.split("\n").slice(0, 3).join(" | ") : String(e)}`;
  }
  for (const [i, stream] of links.entries()) {
    const p = clientStreamProblem(stream, false);
    if (p !== undefined) return `link ${i + 1}: ${p}`;
  }
  return undefined;
}

/**
 * fast-check property over `runs` cases per profile, on the test builds (or those under `builds`, a copy
 * of build/test); returns the number of cases run.
 */
export function fuzzClient(runs, seed, builds) {
  let cases = 0;
  for (const profile of PROFILE_NAMES) {
    const file = builds === undefined ? testBuildPath("espruino", profile, "client") : join(builds, `espruino-${profile}`, "client.js");
    fc.assert(
      fc.property(options, fc.array(action, { maxLength: 40 }), fc.constantFrom(16, 100, 1460), (opts, actions, chunk) => {
        cases++;
        const problem = runFuzzCase(loadBuild(file), opts, actions, chunk);
        if (problem !== undefined) throw new Error(`${profile}: ${problem}`);
      }),
      { numRuns: runs, seed },
    );
  }
  return cases;
}

// ---- every bad input ends in a protocol error and a reconnect ------------------------------------------
/** Inputs no server may send: each must end the link with this protocol error code. */
export const BAD_INPUTS = [
  ["XYZZY 1\r\n", "protocol"],
  [" PING\r\n", "protocol"],
  ["PIx\r\n", "protocol"],
  ["MSG a 1 x\r\nab\r\n", "protocol"],
  ["MSG a 1 1234567890\r\n", "protocol"],
  ["MSG a x 2\r\nab\r\n", "protocol"],
  ["MSG a 1 2 3 4\r\nab\r\n", "protocol"],
  ["MSG a 1 2\r\nabXY", "protocol"],
  ["HMSG a 1 20 10\r\n", "protocol"],
  ["-ERR " + "x".repeat(5000) + "\r\n", "protocol"],
];

const badCase = fc.record({
  before: fc.array(fc.constantFrom("PING\r\n", "MSG a 1 2\r\nhi\r\n", "+OK\r\n", "MSG b 1 0\r\n\r\n"), { maxLength: 5 }),
  bad: fc.constantFrom(...BAD_INPUTS),
  after: fc.constantFrom("", "PING\r\n", "MSG a 1 2\r\nhi\r\n"),
  cuts: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 30 }),
});

/** One bad input after a handshake, in random chunks: an error with its code, the link closed, a reconnect. */
export function runBadInput(lib, { before, bad: [bad, code], after, cuts }) {
  const events = [];
  let clock = 0;
  lib.useTransport({ now: () => clock, open: () => events.push("open"), write: () => {}, close: () => events.push("close") }, 1);
  const nc = lib.connect({ servers: "nats://h:4222", reconnectWait: 0, reconnectJitter: 0 });
  nc.onStatus((e, d) => events.push(`${e} ${d}`));
  if (typeof nc.subscribe === "function") nc.subscribe("a", () => {});
  const ev = (e, d) => lib.adapterEvent(e, d, clock);
  ev(EV.tick);
  ev(EV.open);
  ev(EV.recv, INFO);
  ev(EV.written);
  ev(EV.recv, "PONG\r\n");
  // one code for every bad input, on every profile (on pub a MSG is no op at all, on pubsub an HMSG)
  const expected = code;
  const stream = before.join("") + bad + after;
  let at = 0;
  for (const n of [...cuts, Infinity]) {
    if (at >= stream.length) break;
    ev(EV.recv, stream.slice(at, at + n));
    at += n;
  }
  if (!events.includes(`error ${expected}`)) return `no "error ${expected}" for ${JSON.stringify(stream.slice(0, 60))}: ${events.join(" | ")}`;
  if (!events.includes("close")) return `the link was not closed: ${events.join(" | ")}`;
  ev(EV.closed);
  clock += 1;
  ev(EV.tick);
  if (events.filter((e) => e === "open").length !== 2) return `no reconnect: ${events.join(" | ")}`;
  return undefined;
}

export function fuzzBadInputs(runs, seed, builds) {
  let cases = 0;
  for (const profile of PROFILE_NAMES) {
    const file = builds === undefined ? testBuildPath("espruino", profile, "client") : join(builds, `espruino-${profile}`, "client.js");
    fc.assert(
      fc.property(badCase, (c) => {
        cases++;
        const problem = runBadInput(loadBuild(file), c);
        if (problem !== undefined) throw new Error(`${profile}: ${problem}`);
      }),
      { numRuns: runs, seed },
    );
  }
  return cases;
}
