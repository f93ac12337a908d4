// V8 heap bytes allocated per operation by the JS build (the full profile's test build over a fake
// transport), the same operations as the Lua meters (test/lua/alloc.lua): publish, burst publish,
// delivery, request with its reply, idle tick. used_heap_size is read before and after n operations
// with a collection before; a measurement during which V8 collected (a "gc" performance entry) is
// repeated with fewer operations. Run by bench/run.js as: node --expose-gc bench/v8-alloc.js [n]
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";
import { testBuildPath } from "../test/build/build-tests.js";
import { loadBuild } from "../test/support/load-library.js";

const EV = { open: 0, recv: 1, written: 2, closed: 3, tick: 4 };
const INFO = 'INFO {"server_id":"S","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576} \r\n';

let collections = 0;
new PerformanceObserver((list) => (collections += list.getEntries().length)).observe({ entryTypes: ["gc"] });
// gc entries reach the observer asynchronously: wait until those of the collection before have come.
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function connected() {
  const lib = loadBuild(testBuildPath("espruino", "full", "client"));
  const t = { writes: 0, last: "" };
  lib.useTransport({ now: () => 0, open() {}, write(d) { t.writes++; t.last = d; }, close() {} }, 1);
  const c = lib.connect({ servers: "nats://h:4222", reconnect: false, pingInterval: 0, outBuffer: 1 << 20 });
  lib.adapterEvent(EV.tick, undefined, 0);
  lib.adapterEvent(EV.open, undefined, 0);
  lib.adapterEvent(EV.recv, INFO, 0);
  lib.adapterEvent(EV.written, undefined, 0);
  lib.adapterEvent(EV.recv, "PONG\r\n", 0);
  return { lib, c, t, written: () => lib.adapterEvent(EV.written, undefined, 0) };
}

/** Bytes per operation of run(from, to), with no collection during it (retried with fewer). */
async function measure(n, prepare, run) {
  for (let k = n; k >= 100; k = Math.floor(k / 2)) {
    const state = prepare(k);
    globalThis.gc();
    await settle();
    const seen = collections;
    const before = v8.getHeapStatistics().used_heap_size;
    run(state, k);
    const after = v8.getHeapStatistics().used_heap_size;
    await settle();
    if (collections === seen) return { bytesPerOp: (after - before) / k, ops: k };
  }
  throw new Error("V8 collected during every attempt");
}

const payloads = (k, base) => Array.from({ length: k }, (_, i) => String(base + i).padStart(8, "0"));

export async function v8Alloc(n = 10000) {
  const out = {};
  out.publish = await measure(n, (k) => ({ ...connected(), p: payloads(k, 10000000) }), (s, k) => {
    for (let i = 0; i < k; i++) {
      s.c.publish("metrics.board.temp", s.p[i]);
      s.written();
    }
  });
  out.burstPublish = await measure(n, (k) => ({ ...connected(), p: payloads(k, 20000000) }), (s, k) => {
    for (let i = 0; i < k; i++) s.c.publish("metrics.board.temp", s.p[i]);
    for (let before = -1; s.t.writes !== before;) {
      before = s.t.writes;
      s.written();
    }
  });
  out.delivery = await measure(n, (k) => {
    const s = connected();
    s.c.subscribe("cmd.>", () => {});
    s.written();
    s.wire = payloads(k, 50000000).map((p) => `MSG cmd.x 1 8\r\n${p}\r\n`);
    return s;
  }, (s, k) => {
    for (let i = 0; i < k; i++) s.lib.adapterEvent(EV.recv, s.wire[i], 0);
  });
  out.request = await measure(n, (k) => {
    const s = connected();
    s.c.request("svc", "warm", 1000, () => {});
    s.written();
    const [, inbox, token] = s.t.last.match(/PUB svc (_INBOX\.[^.]+\.)(\d+) /);
    s.wire = payloads(k, 70000000).map((p, i) => `MSG ${inbox}${Number(token) + 1 + i} 1 8\r\n${p}\r\n`);
    s.p = payloads(k, 80000000);
    return s;
  }, (s, k) => {
    for (let i = 0; i < k; i++) {
      s.c.request("svc", s.p[i], 1000, () => {});
      s.written();
      s.lib.adapterEvent(EV.recv, s.wire[i], 0);
    }
  });
  out.idleTick = await measure(n, () => connected(), (s, k) => {
    for (let i = 1; i <= k; i++) s.lib.adapterEvent(EV.tick, undefined, i * 100);
  });
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");
  console.log(JSON.stringify(await v8Alloc(Number(process.argv[2] ?? 10000))));
}
