// The simulator's fault proxy (sim/fault-proxy.js) in front of real nats-servers: a lane goes to its home
// node first and to the next node when that one is down or not admitted; a partition cuts and refuses a
// board's links until healed; shaping (latency, bandwidth cap, 1-byte fragments) keeps every byte in order.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { shapedPipe, startFaultProxy } from "../../sim/fault-proxy.js";
import { connectRaw } from "../../sim/server/raw-client.js";
import { startServer } from "../../sim/server/nats-server.js";

const servers = [];
const proxies = [];
after(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all(servers.map((s) => s.stop()));
});

const portOf = (url) => Number(new URL(url.replace(/^nats:/, "http:")).port);
/** The INFO of a connection through the lane: the port of the server it reached, or "closed". */
async function reach(laneUrl) {
  const c = await connectRaw(portOf(laneUrl));
  try {
    const line = await c.waitUntil((b, closed) => (b.includes("\r\n") ? b.toString("latin1", 0, b.indexOf("\r\n")) : closed && "closed"), 5000, "INFO");
    return line === "closed" ? line : JSON.parse(line.slice(5)).port;
  } catch {
    return "closed";
  } finally {
    c.close();
  }
}

test("a lane goes to its home node, then to the next node that is up and admitted", async () => {
  const a = await startServer();
  const b = await startServer();
  servers.push(a, b);
  const shut = new Set();
  const proxy = await startFaultProxy({ nodes: [{ port: a.port }, { port: b.port }], admitted: (i) => !shut.has(i) });
  proxies.push(proxy);
  const lane0 = await proxy.lane("board-0", 0);
  const lane1 = await proxy.lane("board-1", 1);
  assert.equal(await reach(lane0), a.port);
  assert.equal(await reach(lane1), b.port);
  shut.add(1); // not admitted: skipped
  assert.equal(await reach(lane1), a.port);
  shut.delete(1);
  await b.stop(); // down: the connect fails, the next node takes it
  assert.equal(await reach(lane1), a.port);
  shut.add(0); // nothing left: the board's connection is closed
  assert.equal(await reach(lane1), "closed");
  assert.ok(proxy.counts("board-1").refused >= 1);
});

test("a partition cuts the board's link and refuses new ones until healed; other boards keep theirs", async () => {
  const s = await startServer();
  servers.push(s);
  const proxy = await startFaultProxy({ nodes: [{ port: s.port }] });
  proxies.push(proxy);
  const cut = await proxy.lane("cut", 0);
  const kept = await proxy.lane("kept", 0);
  const linkOf = async (url) => {
    const c = await connectRaw(portOf(url));
    c.send("CONNECT {}\r\nPING\r\n");
    await c.waitUntil((bytes) => bytes.includes("PONG\r\n"), 5000, "PONG");
    return c;
  };
  const c1 = await linkOf(cut);
  const c2 = await linkOf(kept);
  assert.equal(proxy.nodeOf("cut"), 0);
  proxy.partition(["cut"]);
  await c1.waitForClose(5000);
  assert.equal(await reach(cut), "closed");
  c2.send("PING\r\n");
  await c2.waitUntil((bytes) => bytes.toString("latin1").split("PONG\r\n").length === 3, 5000, "a second PONG on the kept link");
  proxy.heal(["cut"]);
  assert.equal(await reach(cut), s.port);
  c2.close();
});

test("shaped links deliver every byte in order: latency, bandwidth cap and 1-byte fragments together", async () => {
  const s = await startServer();
  servers.push(s);
  const proxy = await startFaultProxy({ nodes: [{ port: s.port }] });
  proxies.push(proxy);
  const lane = await proxy.lane("slow", 0);
  proxy.shape(["slow"], { latencyMs: 20, bytesPerSec: 20000, fragment: 1 });
  const c = await connectRaw(portOf(lane));
  c.send("CONNECT {\"verbose\":false}\r\nSUB x 1\r\nPUB x 5\r\nhello\r\nPING\r\n");
  await c.waitUntil((bytes) => bytes.includes("PONG\r\n"), 10000, "PONG");
  const text = c.received().toString("latin1");
  assert.match(text, /^INFO \{.*\} ?\r\nMSG x 1 5\r\nhello\r\nPONG\r\n$/s);
  proxy.shape(["slow"], {});
  c.send("PING\r\n");
  await c.waitUntil((bytes) => bytes.toString("latin1").endsWith("PONG\r\nPONG\r\n"), 5000, "a plain PONG");
  c.close();
});

test("the shaped writer: 1-byte pieces one per turn, in order; a plain link writes chunks whole", async () => {
  const writes = [];
  const dest = { destroyed: false, write: (b) => writes.push(Buffer.from(b)) };
  let shaping = { fragment: 1 };
  const pipe = shapedPipe(dest, () => shaping);
  pipe(Buffer.from("PUB a 2\r\n"));
  pipe(Buffer.from("hi\r\n"));
  while (pipe.pending() > 0) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(writes.every((w) => w.length === 1));
  assert.equal(Buffer.concat(writes).toString(), "PUB a 2\r\nhi\r\n");
  writes.length = 0;
  shaping = {};
  pipe(Buffer.from("PING\r\n"));
  assert.deepEqual(writes.map(String), ["PING\r\n"]);
});
