#!/usr/bin/env node
// Parser throughput of the JS build's parser (the pubsub profile's parser test build, run on the host in
// node: test/build/build-tests.js, which npm test runs) against the parser of the `nats` npm client, in
// the same process on the same wire bytes cut into 1460-byte chunks. Prints messages per second for each
// and the ratio. Run: node bench/parser.js [messages]
import { createRequire } from "node:module";
import { testBuildPath } from "../test/build/build-tests.js";
import { loadBuild } from "../test/support/load-library.js";

const require = createRequire(import.meta.url);
const { Parser: NatsJsParser } = require("nats/lib/nats-base-client/parser.js");

const n = Number(process.argv[2] ?? 200000);
const payload = "x".repeat(32);
const one = `MSG metrics.board-17.temperature 3 _INBOX.abc.1 ${payload.length}\r\n${payload}\r\n`;
const wire = one.repeat(n);
const chunks = [];
for (let i = 0; i < wire.length; i += 1460) chunks.push(wire.slice(i, i + 1460));
const byteChunks = chunks.map((c) => Buffer.from(c, "latin1"));

function time(label, run) {
  run(); // warm up
  const t0 = process.hrtime.bigint();
  const count = run();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (count !== n) throw new Error(`${label} parsed ${count} of ${n} messages`);
  return n / s;
}

const parser = loadBuild(testBuildPath("espruino", "pubsub", "parser"));
const ours = time("nats-mcu", () => {
  let count = 0;
  const sink = { onMsg: () => count++, onInfo() {}, onPing() {}, onPong() {}, onErr() {}, onSkipped() {}, onProtocolError(c) { throw new Error(c); } };
  parser.useSink(sink, 4096, 1048576);
  for (const c of chunks) parser.feed(c);
  return count;
});
const theirs = time("nats.js", () => {
  let count = 0;
  const p = new NatsJsParser({ push: () => count++ });
  for (const c of byteChunks) p.parse(c);
  return count;
});

console.log(`messages: ${n} × ${one.length} bytes, in ${chunks.length} chunks of 1460 bytes`);
console.log(`nats-mcu parser (JS build, pubsub): ${Math.round(ours).toLocaleString("en")} msg/s`);
console.log(`nats.js parser (nats npm, same process): ${Math.round(theirs).toLocaleString("en")} msg/s`);
console.log(`ratio nats-mcu / nats.js: ${(ours / theirs).toFixed(2)}`);
