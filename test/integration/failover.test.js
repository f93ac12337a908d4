// Boards of both runtimes (Espruino JS, NodeMCU Lua 5.1 and 5.3) in a real nats-server cluster: they are
// given one node's URL only, learn the others from INFO connect_urls, and move when that node dies or
// announces lame duck mode.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { after, describe, test } from "node:test";
import { BOARDS, assertHealthy, eventually, parseStats, waitLog } from "../support/board-checks.js";
import { findNatsServer, startCluster } from "../support/nats-server.js";
import { bootProbes } from "../support/probe-fleet.js";

const OPTIONS = { reconnectWait: 100, maxReconnectWait: 500, reconnectJitter: 50 };
/** The port a "status reconnect <url>" line names (discovered servers are "host:port", configured ones URLs). */
const reconnectPort = (line) => Number(/^status reconnect (?:nats:\/\/)?127\.0\.0\.1:(\d+)$/.exec(line)?.[1]);

/** Every board answers stats with servers=n: the cluster's other nodes came in INFO connect_urls. */
async function waitForDiscovery(fleet, n) {
  for (const { id } of BOARDS) {
    await eventually(`${id} to know ${n} servers`, async () => parseStats(await fleet.cmd(id, "stats", "", 1000)).servers === n);
  }
}

/** After a move, commands reach every board again (the interest reaches the peer's node by route). */
async function echoEverywhere(fleet, what) {
  for (const { id } of BOARDS) {
    await eventually(`${id} to answer echo ${what}`, async () => (await fleet.cmd(id, "echo", what, 1000)) === what);
  }
}

describe("cluster failover through discovered URLs", () => {
  let cluster;
  let fleet;
  after(async () => {
    await fleet?.stop();
    await cluster?.stop();
  });

  test("the boards' only configured node is killed: each moves to a node it discovered", async () => {
    cluster = await startCluster(3);
    const [a, b, c] = cluster.servers;
    // The peer sits on a surviving node; the boards know only node A.
    fleet = await bootProbes(b.url, BOARDS, { config: { servers: a.url, options: OPTIONS } });
    for (const board of fleet.boards) {
      assert.ok(board.logs.includes(`status connect ${a.url}`), `${board.id} connected to A: ${JSON.stringify(board.logs)}`);
    }
    await waitForDiscovery(fleet, 3);

    const marks = new Map(fleet.boards.map((x) => [x.id, x.logs.length]));
    a.kill("SIGKILL");
    await a.stop();
    for (const board of fleet.boards) {
      const lost = await waitLog(board, /^status disconnect/, 5000, marks.get(board.id));
      const back = await waitLog(board, /^status reconnect /, 5000, marks.get(board.id));
      assert.ok(lost.index < back.index, `${board.id}: disconnect, then reconnect`);
      assert.ok([b.port, c.port].includes(reconnectPort(back.line)), `${board.id} moved to B or C: ${back.line}`);
    }
    await echoEverywhere(fleet, "after failover");
    for (const { id } of BOARDS) {
      assert.ok(parseStats(await fleet.cmd(id, "stats")).reconnects >= 1, `${id} counts the reconnect`);
    }
    assertHealthy(fleet.boards);
  });
});

describe("lame duck mode", () => {
  // Nothing is closed by the server before the grace period ends (10 s): a board that reconnects
  // elsewhere within a few seconds moved because of the INFO with "ldm":true, not because A closed it.
  const CONFIG = 'lame_duck_duration: "30s"\nlame_duck_grace_period: "10s"\n';
  const PROMPT_MS = 3000;
  let cluster;
  let fleet;
  after(async () => {
    await fleet?.stop();
    // SIGTERM waits for the lame duck period; SIGKILL does not.
    for (const s of cluster?.servers ?? []) s.kill("SIGKILL");
    await cluster?.stop();
  });

  test("the boards' node enters lame duck mode: each reports ldm and moves to the other node at once", async () => {
    cluster = await startCluster(2, { config: CONFIG });
    const [a, b] = cluster.servers;
    fleet = await bootProbes(b.url, BOARDS, { config: { servers: a.url, options: OPTIONS } });
    await waitForDiscovery(fleet, 2);

    const marks = new Map(fleet.boards.map((x) => [x.id, x.logs.length]));
    const signalledAt = Date.now();
    await promisify(execFile)(findNatsServer(), ["--signal", `ldm=${a.pid}`]);
    for (const board of fleet.boards) {
      const ldm = await waitLog(board, /^status ldm/, PROMPT_MS, marks.get(board.id));
      const back = await waitLog(board, /^status reconnect /, PROMPT_MS, marks.get(board.id));
      assert.equal(ldm.line, `status ldm ${a.url}`, board.id);
      assert.ok(ldm.index < back.index, `${board.id}: ldm, then reconnect`);
      assert.equal(reconnectPort(back.line), b.port, `${board.id} moved to B: ${back.line}`);
      assert.ok(back.at - signalledAt < PROMPT_MS, `${board.id} moved ${back.at - signalledAt} ms after the signal`);
      const errors = board.logs.slice(marks.get(board.id)).filter((l) => /^status (error|close)/.test(l));
      assert.deepEqual(errors, [], `${board.id}: a lame duck move is no error`);
    }
    await echoEverywhere(fleet, "after lame duck");
    assertHealthy(fleet.boards);
  });
});
