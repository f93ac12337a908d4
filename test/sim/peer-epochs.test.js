// The peer's boot epochs (sim/peer.js) against a real nats-server: an uptime that goes back starts a new
// epoch only after the simulator reported a reboot (a reordering alone splits nothing); each epoch keeps its
// own arrivals, the arrivals up to its last "sent" report, and that report's count.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connect } from "nats";
import { startPeer } from "../../sim/peer.js";
import { startServer } from "../support/nats-server.js";

let server;
let peer;
let nc;

before(async () => {
  server = await startServer();
  peer = await startPeer(server.url);
  nc = await connect({ servers: server.url });
});
after(async () => {
  await nc?.close();
  await peer?.close();
  await server?.stop();
});

/** One round of the metrics app: uptime, free, sensor, sent. */
function round(board, uptime, sent) {
  for (const [name, value] of [["uptime", uptime], ["free", 1000], ["sensor", 20], ["sent", sent]]) nc.publish(`metrics.${board}.${name}`, String(value));
}

test("a reordered uptime splits nothing; a reported reboot starts an epoch at the next uptime that goes back", async () => {
  round("b", 500, 4);
  round("b", 1000, 8);
  round("b", 900, 12); // late, through another node
  await nc.flush();
  await peer.flush();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(peer.epochs("b").map((e) => [e.received, e.confirmed, e.sent]), [[12, 12, 12]]);
  // the board is reset; the last round before it is cut short: uptime and free only
  nc.publish("metrics.b.uptime", "1500");
  nc.publish("metrics.b.free", "1000");
  peer.newBoot("b");
  round("b", 300, 4);
  round("b", 800, 8);
  await nc.flush();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(peer.epochs("b").map((e) => [e.received, e.confirmed, e.sent]), [[14, 12, 12], [8, 8, 8]]);
  assert.equal(peer.published("b"), 20);
  assert.equal(peer.received("b"), 22);
  assert.deepEqual(peer.payloadBytes("b"), { min: 1, max: 4 });
});
