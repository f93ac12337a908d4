// Boards of a fleet that draw the same random inbox name (here: the same `seed`) still get only their own
// replies, because the inbox carries the board's id (Espruino getSerial(), NodeMCU node.chipid()). With a
// random name alone, every board's first request is _INBOX.<n>.1 and each board takes the first reply.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer } from "../support/nats-server.js";
import { bootProbes, text } from "../support/probe-fleet.js";

const BOARDS = [
  { name: "esp32-espruino", id: "same1" },
  { name: "esp32-espruino", id: "same2" },
  { name: "esp8266-nodemcu", id: "same3" },
  { name: "esp32-nodemcu", id: "same4" },
];

describe("request inboxes of boards with the same seed", () => {
  let server;
  let fleet;

  before(async () => {
    server = await startServer();
    fleet = await bootProbes(server.url, BOARDS, { config: { options: { seed: 7 } } });
  });

  after(async () => {
    await fleet?.stop();
    await server?.stop();
  });

  test("every board gets the reply to its own request, while all are pending at once", async () => {
    // The responder answers only once every board's request is in, in the boards' order, so a shared inbox
    // would hand the first board's answer to all of them.
    const pending = [];
    const inboxes = new Set();
    let answered;
    const allAnswered = new Promise((resolve) => (answered = resolve));
    const svc = fleet.peer.subscribe("svc.inbox");
    (async () => {
      for await (const m of svc) {
        pending.push(m);
        inboxes.add(m.reply.slice(0, m.reply.lastIndexOf(".")));
        if (pending.length === BOARDS.length) {
          const order = BOARDS.map(({ id }) => pending.find((p) => text(p.data) === id));
          for (const p of order) p.respond(Buffer.from(`for ${text(p.data)}`, "latin1"));
          answered();
        }
      }
    })();
    await fleet.peer.flush();
    const answers = await Promise.all(BOARDS.map(({ id }) => fleet.cmd(id, "req", `svc.inbox\n5000\n${id}`, 8000)));
    await allAnswered;
    svc.unsubscribe();
    assert.deepEqual(answers, BOARDS.map(({ id }) => `ok\nfor ${id}`));
    assert.equal(inboxes.size, BOARDS.length, `one inbox per board: ${[...inboxes].join(" ")}`);
  });
});
