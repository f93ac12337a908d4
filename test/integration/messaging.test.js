// Requests, headers and drain on boards of both runtimes (Espruino JS, NodeMCU Lua 5.1 and 5.3) against
// a real nats-server, with a `nats` npm peer on the other side.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { headers } from "nats";
import { BOARDS, assertHealthy, waitLog } from "../support/board-checks.js";
import { startServer } from "../support/nats-server.js";
import { bootProbes, bytes, text, until } from "../support/probe-fleet.js";

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString("latin1");
const REVERSED = [...ALL_BYTES].reverse().join("");

describe("requests, headers and drain", () => {
  let server;
  let fleet;
  const board = (id) => fleet.boards.find((b) => b.id === id);
  /** Every message the peer gets on subject, as { data, headers } (a callback: nothing is missed). */
  const collect = (subject) => {
    const msgs = [];
    const sub = fleet.peer.subscribe(subject, { callback: (err, m) => err || msgs.push({ data: text(m.data), headers: m.headers, m }) });
    return { msgs, sub };
  };

  before(async () => {
    server = await startServer();
    fleet = await bootProbes(server.url, BOARDS);
  });
  after(async () => {
    await fleet?.stop();
    await server?.stop();
  });

  for (const { name, id } of BOARDS) {
    test(`${name}: a request nobody subscribes to fails at once with no_responders`, async () => {
      const t0 = Date.now();
      assert.equal(await fleet.cmd(id, "req", `nobody.${id}\n3000\nhello`), "no_responders\n");
      const elapsed = Date.now() - t0;
      assert.ok(elapsed < 1500, `no_responders came after ${elapsed} ms: the 503 status must end the request, not its 3 s timeout`);
    });

    test(`${name}: a request a subscriber never answers times out after its timeout`, async () => {
      const silent = collect(`silent.${id}`);
      await fleet.peer.flush();
      const t0 = Date.now();
      const answer = await fleet.cmd(id, "req", `silent.${id}\n300\nanyone?`);
      const elapsed = Date.now() - t0;
      silent.sub.unsubscribe();
      assert.equal(answer, "timeout\n");
      assert.deepEqual(silent.msgs.map((m) => m.data), ["anyone?"], "the request reached the silent subscriber");
      assert.ok(elapsed >= 300, `timed out after ${elapsed} ms, before its 300 ms timeout`);
      assert.ok(elapsed < 1500, `timed out after ${elapsed} ms, long after its 300 ms timeout`);
    });

    test(`${name}: a request answered by a peer responder gets the exact reply bytes`, async () => {
      const requests = [];
      const responder = fleet.peer.subscribe(`svc.${id}`, {
        callback: (err, m) => {
          if (err) return;
          requests.push(text(m.data));
          m.respond(bytes(REVERSED + text(m.data)));
        },
      });
      await fleet.peer.flush();
      const answer = await fleet.cmd(id, "req", `svc.${id}\n3000\n${ALL_BYTES}`);
      responder.unsubscribe();
      assert.deepEqual(requests, [ALL_BYTES], "the responder got the request bytes exactly");
      assert.equal(answer, "ok\n" + REVERSED + ALL_BYTES);
    });

    test(`${name}: hpub: the peer gets the headers and the payload exactly`, async () => {
      const got = collect(`h.${id}`);
      await fleet.peer.flush();
      assert.equal(await fleet.cmd(id, "hpub", `h.${id}\nX-A: one\r\nX-Spaced: a  b c\n\n${ALL_BYTES}`), "ok");
      await until(`the HMSG from ${id}`, () => got.msgs.length > 0);
      got.sub.unsubscribe();
      const [m] = got.msgs;
      assert.ok(m.headers, "the message has headers");
      assert.equal(m.headers.get("X-A"), "one");
      assert.equal(m.headers.get("X-Spaced"), "a  b c");
      assert.equal(m.data, ALL_BYTES);
      assert.equal(got.msgs.length, 1);
    });

    test(`${name}: a message with headers from the peer reaches the board with its header block`, async () => {
      assert.match(await fleet.cmd(id, "sub", `hb.${id}`), /^\d+$/);
      const h = headers();
      h.append("X-B", "two words");
      h.append("X-C", "3");
      fleet.peer.publish(`hb.${id}`, bytes(ALL_BYTES), { headers: h });
      const b = board(id);
      const start = await waitLog(b, new RegExp(`^headers hb\\.${id} `), 5000);
      // NodeMCU prints the block as it is; Espruino's console splits what it prints into lines.
      const block = b.logs.slice(start.index).join("\n").slice(`headers hb.${id} `.length);
      assert.match(block, /^NATS\/1\.0\r?\n/, `header block: ${JSON.stringify(block)}`);
      assert.ok(block.includes("X-B: two words"), `header block: ${JSON.stringify(block)}`);
      assert.ok(block.includes("X-C: 3"), `header block: ${JSON.stringify(block)}`);
      const g = await until(`${id} to forward the message`, () => fleet.got(id).find((x) => x.subject === `hb.${id}`));
      assert.equal(g.payload, ALL_BYTES, "the payload after the headers is exact");
    });
  }

  test("drain with messages in flight: everything sent before the drain is delivered, then the board closes", async () => {
    const N = 50;
    const LATE = 10;
    for (const { id } of BOARDS) assert.match(await fleet.cmd(id, "sub", `d.${id}`), /^\d+$/);
    const marks = new Map(fleet.boards.map((b) => [b.id, b.logs.length]));
    // On the peer's one connection the burst is ordered before the drain request, so the server hands
    // the board the whole burst before the request. What the peer sends after it may or may not beat the
    // board's UNSUB to the server: those are delivered as a prefix, or not at all.
    const answers = await Promise.all(
      BOARDS.map(async ({ id }) => {
        for (let i = 0; i < N; i++) fleet.publish(`d.${id}`, `m-${i}`);
        const answer = fleet.cmd(id, "drain");
        for (let i = 0; i < LATE; i++) fleet.publish(`d.${id}`, `late-${i}`);
        return answer;
      }),
    );
    assert.deepEqual(answers, BOARDS.map(() => "draining"));
    for (const b of fleet.boards) {
      const drained = await waitLog(b, /^drained /, 5000, marks.get(b.id));
      const closed = await waitLog(b, /^status close/, 5000, marks.get(b.id));
      assert.equal(drained.line, "drained ok", b.id);
      assert.equal(closed.line, "status close ", `${b.id} closed by drain, no error`);
      assert.ok(drained.index < closed.index, `${b.id}: drain's callback before "close"`);
    }
    const forwarded = (id) => fleet.got(id).filter((g) => g.subject === `d.${id}`).map((g) => g.payload);
    await until(`all ${N} messages of the burst forwarded by every board`, () =>
      BOARDS.every(({ id }) => forwarded(id).filter((p) => p.startsWith("m-")).length >= N),
    );
    const burst = Array.from({ length: N }, (_, i) => `m-${i}`);
    for (const { id } of BOARDS) {
      const all = forwarded(id);
      const late = all.slice(N);
      assert.deepEqual(all.slice(0, N), burst, `${id}: the burst, once each, in order`);
      assert.deepEqual(late, Array.from({ length: late.length }, (_, i) => `late-${i}`), `${id}: later messages only as a prefix`);
    }
    // Drained means closed: no subscription is left, so no command (a subscribe, here) reaches the board.
    for (const { id } of BOARDS) {
      await assert.rejects(fleet.cmd(id, "sub", `after.${id}`, 1000), (e) => e.code === "503", `${id} takes no more commands`);
    }
    assertHealthy(fleet.boards);
  });

  test("no board broke a device rule or crashed", () => {
    assertHealthy(fleet.boards);
  });
});
