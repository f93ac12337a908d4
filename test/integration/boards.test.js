// Simulated boards of both runtimes, running the built library and the probe app unchanged, against a
// real nats-server started here: exact bytes both ways, wildcards, queue groups, request/reply.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer } from "../support/nats-server.js";
import { bootProbes, text, until } from "../support/probe-fleet.js";

// One board per runtime and Lua version: Espruino on ESP32 and on ESP8266 (1,600 JsVars: the probe app's profile
// full runs with the library in Storage, as the fleet deploys it, sim/fleet.js), NodeMCU Lua 5.1 (ESP8266) and 5.3 (ESP32).
const BOARDS = [
  { name: "esp32-espruino", id: "js1" },
  { name: "esp8266-espruino", id: "js8266" },
  { name: "esp8266-nodemcu", id: "lua51" },
  { name: "esp32-nodemcu", id: "lua53" },
];
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString("latin1");

describe("boards against nats-server", () => {
  let server;
  let fleet;

  before(async () => {
    server = await startServer();
    fleet = await bootProbes(server.url, BOARDS);
  });

  after(async () => {
    await fleet?.stop();
    await server?.stop();
  });

  for (const { name, id } of BOARDS) {
    test(`${name}: board → peer, every byte value 0–255 exact`, async () => {
      const sub = fleet.peer.subscribe(`out.${id}`, { max: 1 });
      const payload = ALL_BYTES + "\r\nPUB x 1\r\n" + ALL_BYTES;
      assert.equal(await fleet.cmd(id, "pub", `out.${id}\n${payload}`), "ok");
      for await (const m of sub) {
        assert.equal(text(m.data), payload);
      }
    });

    test(`${name}: peer → board, binary request answered with the same bytes`, async () => {
      assert.equal(await fleet.cmd(id, "echo", ALL_BYTES), ALL_BYTES);
      assert.equal(await fleet.cmd(id, "echo", ""), "");
    });

    test(`${name}: subscriptions with * and > wildcards`, async () => {
      const star = await fleet.cmd(id, "sub", `w.${id}.*.x`);
      const tail = await fleet.cmd(id, "sub", `w.${id}.>`);
      assert.match(star, /^\d+$/);
      assert.match(tail, /^\d+$/);
      for (const s of ["a.x", "b.x", "a.y", "a.b.x"]) fleet.publish(`w.${id}.${s}`, s);
      await fleet.peer.flush();
      const expected = [
        ["a.x", 2],
        ["b.x", 2],
        ["a.y", 1],
        ["a.b.x", 1],
      ];
      const total = expected.reduce((n, [, k]) => n + k, 0);
      await until("6 forwarded messages", () => fleet.got(id).filter((g) => g.subject.startsWith(`w.${id}.`)).length >= total);
      const got = fleet.got(id).filter((g) => g.subject.startsWith(`w.${id}.`));
      for (const [s, k] of expected) {
        assert.equal(got.filter((g) => g.subject === `w.${id}.${s}` && g.payload === s).length, k, `${s} delivered ${k}×`);
      }
      assert.equal(await fleet.cmd(id, "unsub", tail), "ok");
      assert.equal(await fleet.cmd(id, "unsub", star), "ok");
    });

    test(`${name}: a message with a reply subject keeps it`, async () => {
      await fleet.cmd(id, "sub", `r.${id}`);
      fleet.peer.publish(`r.${id}`, Buffer.from("q"), { reply: `answer.${id}` });
      const g = await until("the forwarded message", () => fleet.got(id).find((x) => x.subject === `r.${id}`));
      assert.deepEqual(g, { subject: `r.${id}`, reply: `answer.${id}`, payload: "q" });
    });

    test(`${name}: refused calls say why`, async () => {
      assert.equal(await fleet.cmd(id, "pub", "bad subject\nx"), "refused subject");
      assert.equal(await fleet.cmd(id, "pub", "a.*\nx"), "refused subject");
      assert.equal(await fleet.cmd(id, "sub", "a\tb"), "refused subject");
      assert.equal(await fleet.cmd(id, "unsub", "999"), "refused sid");
    });
  }

  test("queue group: each message reaches exactly one board, and every board gets some", async () => {
    for (const { id } of BOARDS) assert.match(await fleet.cmd(id, "sub", "work.items workers"), /^\d+$/);
    const n = 90;
    for (let i = 0; i < n; i++) fleet.publish("work.items", `job-${i}`);
    await fleet.peer.flush();
    const jobs = () => BOARDS.flatMap(({ id }) => fleet.got(id).filter((g) => g.subject === "work.items").map((g) => g.payload));
    await until(`${n} jobs forwarded`, () => jobs().length >= n);
    const all = jobs();
    assert.equal(all.length, n);
    assert.equal(new Set(all).size, n, "no job delivered twice");
    for (const { id } of BOARDS) {
      assert.ok(fleet.got(id).some((g) => g.subject === "work.items"), `${id} got a share`);
    }
  });

  test("a burst of publishes keeps NodeMCU's one send in flight and loses nothing", async () => {
    const sub = fleet.peer.subscribe("burst.>");
    const counts = new Map();
    const done = (async () => {
      for await (const m of sub) counts.set(m.subject, (counts.get(m.subject) ?? 0) + 1);
    })();
    const payload = "x".repeat(700);
    for (const { id } of BOARDS) {
      for (let i = 0; i < 8; i++) assert.equal(await fleet.cmd(id, "pub", `burst.${id}\n${payload}${i}`), "ok");
    }
    await until("every burst message", () => BOARDS.every(({ id }) => counts.get(`burst.${id}`) === 8));
    sub.unsubscribe();
    await done;
    for (const b of fleet.boards) {
      assert.deepEqual(b.faults, [], `${b.id} broke a device rule`);
      assert.deepEqual(b.crashes, [], `${b.id} crashed`);
    }
  });

  test("the server's PINGs were answered and no board lost its connection", () => {
    for (const b of fleet.boards) {
      assert.deepEqual(
        b.logs.filter((l) => /^status (disconnect|close|error)/.test(l)),
        [],
        `${b.id} status events`,
      );
    }
  });
});
