// Boards of both runtimes (Espruino JS, NodeMCU Lua 5.1 and 5.3) riding out what real nats-servers do to
// them: a restart in the middle of a stream, a frozen server (stale link), wrong credentials.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { bootFleet } from "../../sim/fleet.js";
import { BOARDS, assertHealthy, linesOf, parseStats, sleep, waitLog } from "../support/board-checks.js";
import { startServer } from "../support/nats-server.js";
import { bootProbes, text, until } from "../support/probe-fleet.js";
import { startGate } from "../support/tcp-gate.js";

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The payloads (numbers) of complete "PUB <subject> <n>\r\n<payload>\r\n" ops in a byte string. */
const pubNumbers = (bytes, subject) =>
  [...bytes.matchAll(new RegExp(`PUB ${escape(subject)} \\d+\\r\\n(\\d+)\\r\\n`, "g"))].map((m) => Number(m[1]));
/** PUB ops to subject begun in a byte string, complete or not. */
const pubCount = (bytes, subject) => bytes.split(`PUB ${subject} `).length - 1;

describe("server restart in the middle of a stream", () => {
  // The boards reach the server through a gate (test/support/tcp-gate.js); the peer connects directly.
  // The peer loses its subscriptions too while the server is down, so the gate stays shut after the
  // restart until the peer has resubscribed: only then can the boards replay what they buffered.
  const COUNT = 80;
  const INTERVAL_MS = 50;
  // The boards' out-queue is 300 bytes (about 13 stream publishes, 650 ms of stream): 1.5 s offline
  // overflows it for sure.
  const OFFLINE_MS = 1500;
  let server;
  let gate;
  let fleet;
  after(async () => {
    await fleet?.stop();
    await gate?.stop();
    await server?.stop();
  });

  test("every accepted publish arrives once, in order; refused ones are counted as dropped", async () => {
    server = await startServer();
    const port = server.port;
    gate = await startGate(port);
    fleet = await bootProbes(server.url, BOARDS, {
      config: {
        servers: gate.url,
        options: { reconnectWait: 100, maxReconnectWait: 400, reconnectJitter: 50, outBuffer: 300 },
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
      peer.subscribe(`stream.${id}`, { callback: (err, m) => err || received.get(id).push(Number(text(m.data))) });
    }
    await peer.flush();

    const started = await Promise.all(BOARDS.map(({ id }) => fleet.cmd(id, "stream", `stream.${id}\n${COUNT}\n${INTERVAL_MS}`)));
    assert.deepEqual(started, BOARDS.map(() => "started"));
    await until("8 stream messages from every board", () => BOARDS.every(({ id }) => received.get(id).length >= 8));

    // The cut. A publish the boards hand to the network just before the server dies may be lost without
    // any client knowing (TCP, at-most-once): so the gate first stops passing the boards' bytes on and
    // keeps them (they are counted as lost in transit below), the peer gets everything that did pass,
    // and only then the server is killed, with nothing of the boards' in it.
    gate.shut();
    gate.freeze();
    const forwarded = (id) => gate.linksOf(id).flatMap((l) => pubNumbers(l.sent(), `stream.${id}`));
    await until("the peer to get every stream message the gate passed on", () =>
      BOARDS.every(({ id }) => forwarded(id).every((n) => received.get(id).includes(n))),
    );
    const marks = new Map(fleet.boards.map((b) => [b.id, b.logs.length]));
    server.kill("SIGKILL");
    await server.stop();
    const killedAt = Date.now();
    const disconnects = await Promise.all(fleet.boards.map((b) => waitLog(b, /^status disconnect/, 5000, marks.get(b.id))));

    server = await startServer({ port });
    await until("the peer to reconnect to the restarted server", () => peerEvents.includes("reconnect"));
    await peer.flush(); // its SUBs went out before this PING: the server has them now
    await sleep(Math.max(0, killedAt + OFFLINE_MS - Date.now()));
    assert.ok(
      fleet.boards.every((b) => !b.logs.some((l) => l.startsWith("stream sent="))),
      "the stream must still run when the boards get back (else the replay proves little)",
    );
    gate.open();

    const reconnects = await Promise.all(fleet.boards.map((b) => waitLog(b, /^status reconnect /, 5000, marks.get(b.id))));
    const ends = await Promise.all(fleet.boards.map((b) => waitLog(b, /^stream sent=\d+ refused=\d+$/, COUNT * INTERVAL_MS + 10000)));
    // The stats answer is published after every stream message: once it is here, so is the stream.
    const stats = await Promise.all(BOARDS.map(async ({ id }) => parseStats(await fleet.cmd(id, "stats"))));
    await peer.flush(); // the probe.*.status watcher reads its messages asynchronously

    assert.ok(gate.counts.refused >= BOARDS.length, `the boards kept trying while the gate was shut (${gate.counts.refused} refused)`);
    for (const [i, b] of fleet.boards.entries()) {
      const id = b.id;
      const s = stats[i];
      assert.equal(reconnects[i].line, `status reconnect ${gate.url}`, `${id} reconnected through the gate`);
      assert.equal(gate.linksOf(id).length, 2, `${id}: one link before the restart, one after; none through the shut gate`);
      assert.ok(disconnects[i].index < reconnects[i].index, `${id}: disconnect before reconnect`);
      assert.ok(s.reconnects >= 1, `${id} counts its reconnect: ${JSON.stringify(s)}`);
      const [sent, refused] = /^stream sent=(\d+) refused=(\d+)$/.exec(ends[i].line).slice(1).map(Number);
      assert.equal(sent + refused, COUNT, `${id}: ${ends[i].line}`);
      assert.ok(refused > 0, `${id}: the 300-byte out-queue must have overflowed offline: ${ends[i].line}`);
      assert.ok(s.dropped > 0, `${id} counts what the full out-queue refused: ${JSON.stringify(s)}`);

      const got = received.get(id);
      const detail = `${id}: sent=${sent} refused=${refused} ${JSON.stringify(s)} received ${JSON.stringify(got)}`;
      assert.equal(new Set(got).size, got.length, `no message arrives twice: ${detail}`);
      assert.ok(got.every((n, k) => n >= 1 && n <= COUNT && (k === 0 || n > got[k - 1])), `numbers 1..${COUNT}, in order: ${detail}`);
      assert.equal(got.at(-1), COUNT, `the last message arrives: ${detail}`);

      // Lost: accepted by publish() but never received. Only those in transit at the cut (held by the
      // gate) or in a write the disconnect cut short (counted unconfirmed) may be lost.
      const held = gate.linksOf(id).map((l) => l.held()).join("");
      const inTransit = pubCount(held, `stream.${id}`);
      const lost = sent - got.length;
      assert.ok(lost >= 0 && lost <= inTransit + s.unconfirmed, `lost ${lost} ≤ held at the cut ${inTransit} + unconfirmed ${s.unconfirmed}: ${detail}`);

      // Refused publishes: the stream's, and the probe's status publishes that found the queue full
      // (every status event but "close" is logged and published to probe.<id>.status).
      const statusLines = b.logs.filter((l) => l.startsWith("status ") && !l.startsWith("status close")).length;
      const statusRefused = statusLines - fleet.statuses(id).length; // if no accepted one was lost
      const statusMaybeLost = s.unconfirmed + pubCount(held, `probe.${id}.status`);
      assert.ok(
        s.dropped >= refused + statusRefused - statusMaybeLost && s.dropped <= refused + statusRefused,
        `dropped ${s.dropped} = stream refused ${refused} + status refused ${statusRefused} (±${statusMaybeLost}): ${detail}`,
      );
    }
    assertHealthy(fleet.boards);
    await fleet.stop();
    fleet = undefined;
  });
});

describe("stale link: a frozen server is found out by the boards' own PINGs", () => {
  const PING_MS = 500;
  const MAX_OUT = 2;
  // Two PINGs go unanswered, the third tick finds them out: at most pingInterval × (maxPingsOut + 1)
  // after the freeze, plus the 100 ms tick and slack for a loaded machine.
  const STALE_WITHIN_MS = 3000;
  let server;
  let fleet;
  after(async () => {
    server?.kill("SIGCONT");
    await fleet?.stop();
    await server?.stop();
  });

  test("SIGSTOP: every board reports stale_connection in time; SIGCONT: every board reconnects", async () => {
    server = await startServer(); // default server pings: 2 min, nothing the boards could lean on
    fleet = await bootProbes(server.url, BOARDS, {
      config: { options: { pingInterval: PING_MS, maxPingsOut: MAX_OUT, reconnectWait: 100, maxReconnectWait: 500, reconnectJitter: 50 } },
    });
    // A few intervals with the server answering: no false alarm.
    await sleep(3 * PING_MS);
    for (const { id } of BOARDS) assert.equal(await fleet.cmd(id, "echo", "alive"), "alive");
    for (const b of fleet.boards) assert.deepEqual(b.logs.filter((l) => /^status (error|disconnect)/.test(l)), [], b.id);

    const marks = new Map(fleet.boards.map((b) => [b.id, b.logs.length]));
    const stoppedAt = Date.now();
    server.kill("SIGSTOP");
    const stale = await Promise.all(
      fleet.boards.map((b) => waitLog(b, /^status error stale_connection$/, STALE_WITHIN_MS + 2000, marks.get(b.id))),
    );
    for (const [i, b] of fleet.boards.entries()) {
      const elapsed = stale[i].at - stoppedAt;
      assert.ok(elapsed <= STALE_WITHIN_MS, `${b.id} found the link stale ${elapsed} ms after SIGSTOP (limit ${STALE_WITHIN_MS} ms)`);
      // Even a PING sent just before the freeze and never answered needs maxPingsOut intervals more.
      assert.ok(elapsed >= PING_MS * MAX_OUT - 200, `${b.id} called the link stale only ${elapsed} ms after SIGSTOP`);
      // the link is dropped on the stale verdict: its close, and so the disconnect, follows within a tick or two
      const down = await waitLog(b, /^status disconnect/, 1000, marks.get(b.id));
      const seq = linesOf(b, marks.get(b.id));
      assert.ok(seq.indexOf(stale[i].line) < seq.indexOf(down.line), `${b.id}: stale, then disconnect: ${JSON.stringify(seq)}`);
    }

    const resumed = new Map(fleet.boards.map((b) => [b.id, b.logs.length]));
    server.kill("SIGCONT");
    for (const b of fleet.boards) {
      const back = await waitLog(b, /^status reconnect /, 10000, resumed.get(b.id));
      assert.equal(back.line, `status reconnect ${server.url}`, b.id);
    }
    for (const { id } of BOARDS) {
      assert.equal(await fleet.cmd(id, "echo", "back"), "back", `${id} answers after the reconnect`);
      assert.equal(parseStats(await fleet.cmd(id, "stats")).reconnects, 1, `${id} reconnected once`);
    }
    assertHealthy(fleet.boards);
  });
});

describe("wrong credentials", () => {
  // The gate only counts the boards' connections here (each link's CONNECT names its board).
  const OPTIONS = { reconnectWait: 100, maxReconnectWait: 300, reconnectJitter: 50 };
  let server;
  let gate;
  let fleet;
  after(async () => {
    await fleet?.stop();
    await gate?.stop();
    await server?.stop();
  });

  test("the same Authorization Violation twice: the board gives the server up, closes, and stays closed", async () => {
    server = await startServer({ config: "authorization { user: board, password: right }\n" });
    gate = await startGate(server.port);
    // bootProbes waits for "status connect", which never comes: the fleet is booted directly, and the
    // boards' logs are read (their status publishes cannot get through).
    fleet = await bootFleet({
      app: "probe",
      specs: BOARDS.map((b) => ({ ...b, config: { boardId: b.id, servers: gate.url, user: "board", pass: "wrong", options: OPTIONS } })),
    });
    for (const b of fleet.boards) await waitLog(b, /^status close/, 10000);
    const expected = ["status error Authorization Violation", "status error Authorization Violation", "status close Authorization Violation"];
    for (const b of fleet.boards) {
      assert.deepEqual(b.logs, expected, `${b.id}: two refusals, then closed`);
      assert.equal(gate.linksOf(b.id).length, 2, `${b.id} connected twice`);
    }
    // Closed for good: several of its longest back-offs later, no new attempt and no new line.
    const links = gate.links.length;
    await sleep(4 * OPTIONS.maxReconnectWait + 500);
    assert.equal(gate.links.length + gate.counts.refused, links, "no board tried again");
    for (const b of fleet.boards) assert.deepEqual(b.logs, expected, `${b.id} stays closed`);
    assertHealthy(fleet.boards);
  });
});
