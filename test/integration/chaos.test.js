// Chaos, seeded and short (npm test): a small mixed fleet (ESP32 Espruino, ESP8266 NodeMCU on lua5.1,
// ESP32 NodeMCU on lua5.3) streams numbered messages through a proxy that cuts every chunk into 1–7-byte
// pieces and delays them 15 ms each way; meanwhile one network partition (the boards find the link
// stale and reconnect after it heals) and one broker restart. Zero loss within the buffers, exact
// accounting beyond: every message accepted by publish() arrives once, in order, except those in
// transit at a cut (held by the proxy) or in a write a lost link cut short (counted unconfirmed).
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { BOARDS, assertHealthy, parseStats, sleep, waitLog } from "../support/board-checks.js";
import { startServer } from "../support/nats-server.js";
import { bootProbes, text, until } from "../support/probe-fleet.js";
import { startGate } from "../support/tcp-gate.js";

const COUNT = 60;
const INTERVAL_MS = 60;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const pubCount = (bytes, subject) => bytes.split(`PUB ${subject} `).length - 1;

let server;
let gate;
let fleet;
after(async () => {
  await fleet?.stop();
  await gate?.stop();
  await server?.stop();
});

test("fragmentation + latency + a partition + a broker restart: nothing lost within the buffers, the rest accounted for", async () => {
  server = await startServer();
  const port = server.port;
  gate = await startGate(port, { fragment: 7, latencyMs: 15, seed: 20261206 });
  fleet = await bootProbes(server.url, BOARDS, {
    config: {
      servers: gate.url,
      // out-queue large enough for the whole stream: nothing may be refused, so nothing may be lost
      // but what was in transit at a cut
      options: { pingInterval: 300, maxPingsOut: 2, reconnectWait: 100, maxReconnectWait: 300, reconnectJitter: 50, outBuffer: 4000 },
    },
    peerOptions: { reconnectTimeWait: 50, reconnectJitter: 0, maxReconnectAttempts: -1 },
  });
  const { peer } = fleet;
  const peerEvents = [];
  (async () => {
    for await (const s of peer.status()) peerEvents.push(s.type);
  })();
  const received = new Map(BOARDS.map(({ id }) => [id, []]));
  for (const { id } of BOARDS) {
    peer.subscribe(`chaos.${id}`, { callback: (err, m) => err || received.get(id).push(Number(text(m.data))) });
  }
  await peer.flush();
  // "status connect" is printed before the board's SUBs have crossed the slow proxy: retry on no responders
  const command = async (id, name, payload) => {
    for (let tries = 0; ; tries++) {
      try {
        return await fleet.cmd(id, name, payload);
      } catch (e) {
        if (tries >= 50 || !/503|no responders/i.test(String(e.message ?? e))) throw e;
        await sleep(100);
      }
    }
  };
  const started = await Promise.all(BOARDS.map(({ id }) => command(id, "stream", `chaos.${id}\n${COUNT}\n${INTERVAL_MS}`)));
  assert.deepEqual(started, BOARDS.map(() => "started"));
  await until("5 messages from every board", () => BOARDS.every(({ id }) => received.get(id).length >= 5));

  // 1. A partition: nothing passes either way; the boards' PINGs go unanswered, they drop the link and
  // their attempts are refused until it heals.
  let marks = new Map(fleet.boards.map((b) => [b.id, b.logs.length]));
  gate.partition();
  await Promise.all(fleet.boards.map((b) => waitLog(b, /^status error stale_connection/, 5000, marks.get(b.id))));
  await gate.heal();
  await Promise.all(fleet.boards.map((b) => waitLog(b, /^status reconnect /, 5000, marks.get(b.id))));
  await until("5 more messages from every board", () => BOARDS.every(({ id }) => received.get(id).length >= 15), 10000);

  // 2. A broker restart (as in resilience.test.js): the proxy first holds the boards' bytes, the peer
  // gets all that passed, then the server dies and comes back; the proxy opens once the peer resubscribed.
  gate.partition();
  while (gate.inFlight() > 0) await sleep(10);
  const forwarded = (id) =>
    gate.linksOf(id).flatMap((l) => [...l.sent().matchAll(new RegExp(`PUB ${escape(`chaos.${id}`)} \\d+\\r\\n(\\d+)\\r\\n`, "g"))].map((m) => Number(m[1])));
  await until("the peer to get every message the proxy passed on", () =>
    BOARDS.every(({ id }) => forwarded(id).every((n) => received.get(id).includes(n))));
  marks = new Map(fleet.boards.map((b) => [b.id, b.logs.length]));
  server.kill("SIGKILL");
  await server.stop();
  server = await startServer({ port });
  await until("the peer to reconnect to the restarted server", () => peerEvents.includes("reconnect"));
  await peer.flush();
  await gate.heal();
  await Promise.all(fleet.boards.map((b) => waitLog(b, /^status reconnect /, 8000, marks.get(b.id))));

  const ends = await Promise.all(fleet.boards.map((b) => waitLog(b, /^stream sent=\d+ refused=\d+$/, COUNT * INTERVAL_MS + 15000)));
  const stats = await Promise.all(BOARDS.map(async ({ id }) => parseStats(await command(id, "stats"))));
  await peer.flush();
  for (const [i, b] of fleet.boards.entries()) {
    const id = b.id;
    const s = stats[i];
    const [sent, refused] = /^stream sent=(\d+) refused=(\d+)$/.exec(ends[i].line).slice(1).map(Number);
    const got = received.get(id);
    const detail = `${id}: sent=${sent} refused=${refused} ${JSON.stringify(s)} received ${JSON.stringify(got)}`;
    assert.equal(sent + refused, COUNT, detail);
    assert.equal(refused, 0, `the out-queue held everything offline: ${detail}`);
    assert.equal(new Set(got).size, got.length, `no message twice: ${detail}`);
    assert.ok(got.every((n, k) => k === 0 || n > got[k - 1]), `in order: ${detail}`);
    assert.equal(got.at(-1), COUNT, `the last message arrives: ${detail}`);
    const held = gate.linksOf(id).map((l) => l.held()).join("");
    const inTransit = pubCount(held, `chaos.${id}`);
    const lost = sent - got.length;
    console.log(`# ${id}: sent ${sent}, received ${got.length}, lost ${lost} (held at the cuts ${inTransit}, unconfirmed ${s.unconfirmed}), reconnects ${s.reconnects}`);
    assert.ok(lost >= 0 && lost <= inTransit + s.unconfirmed, `lost ${lost} ≤ held ${inTransit} + unconfirmed ${s.unconfirmed}: ${detail}`);
    assert.ok(s.reconnects >= 2, `a reconnect after the partition and one after the restart: ${detail}`);
  }
  assertHealthy(fleet.boards);
});
