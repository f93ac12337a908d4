// `nats-mcu sim`: boards running the metrics app against nats-server (embedded unless a URL is given),
// a peer counting what arrives from each, then a summary: board, runtime, published, received by the
// peer, refused, errors.
import { accountBoard } from "./accounting.js";
import { startBroker } from "./broker.js";
import { bootFleet } from "./fleet.js";
import { expandFleet } from "./fleet-spec.js";
import { startFaultProxy } from "./fault-proxy.js";
import { checkFaults, matchBoards } from "./fault-spec.js";
import { runFaults } from "./faults.js";
import { startPeer } from "./peer.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await sleep(50);
  return predicate();
}

/** Board names (a board's id is its name, -2, -3… for repeats) or expanded fleet entries (fleet-spec.js). */
function fleetEntries(boards, intervalMs) {
  if (boards.every((b) => typeof b === "string")) return expandFleet({ boards: boards.map((board) => ({ board })) }, { intervalMs });
  return boards.map((b) => ({ app: "metrics", intervalMs, ...b }));
}

/** A fleet entry's metrics app config: id, servers, interval, and the entry's payloadBytes and client options. */
function appConfig(e, servers) {
  return { boardId: e.id, servers, intervalMs: e.intervalMs, ...(e.payloadBytes !== undefined ? { payloadBytes: e.payloadBytes } : {}), ...(e.options !== undefined ? { options: e.options } : {}) };
}

/** The boards' network: straight to the broker, or through the fault proxy (a cluster, or faults). */
async function boardNetwork({ entries, urls, broker, peer, useProxy }) {
  if (!useProxy) return { proxy: undefined, serversOf: () => (urls.length === 1 ? urls[0] : urls) };
  const nodes = urls.map((u) => new URL(u.replace(/^nats:/, "http:")));
  const auth = nodes[0].username ? `${nodes[0].username}${nodes[0].password ? `:${nodes[0].password}` : ""}@` : "";
  // A node takes boards once it is up, in the mesh, and the peer's member there is back: what the
  // boards publish there is heard.
  const admitted = (i) => broker === undefined || (broker.nodes[i].up && !broker.nodes[i].lameDuck && peer.connectedTo(urls[i]));
  const proxy = await startFaultProxy({ nodes: nodes.map((n) => ({ host: n.hostname, port: Number(n.port || 4222) })), admitted });
  const lanes = new Map();
  for (const [i, e] of entries.entries()) lanes.set(e.id, await proxy.lane(e.id, i % urls.length, auth));
  return { proxy, admitted, serversOf: (id) => lanes.get(id) };
}

/**
 * Runs the simulation; returns { serverUrl, rows, ok }. `boards`: board names, or entries
 * { name, id, app, profile?, intervalMs } (fleet-spec.js expandFleet); `seed` seeds every board;
 * `cluster`: an embedded cluster of that many routed nodes, board i's home node i mod N (the boards
 * then connect through the fault proxy, which keeps each board's node order).
 */
export async function simulate({ boards, durationS, server, cluster = 1, faults = [], intervalMs = 1000, seed = 1, log = () => {}, boardLog = log, monitor }) {
  const entries = fleetEntries(boards, intervalMs);
  if (server !== undefined && cluster > 1) throw new Error("a cluster is embedded: give a server URL or a cluster size, not both");
  const ids = entries.map((e) => e.id);
  const checked = checkFaults(faults, { durationS, nodes: server === undefined ? cluster : 1, embedded: server === undefined, ids });
  const broker = server === undefined ? await startBroker({ cluster }) : undefined;
  const urls = broker ? broker.urls : [server];
  const serverUrl = urls.join(",");
  log(broker ? `embedded nats-server${cluster > 1 ? ` cluster of ${cluster} nodes` : ""} on ${serverUrl}` : `using nats-server at ${serverUrl}`);
  // crashes: the board's runtime failed; statusErrors: the client reported an error (expected under faults)
  const crashes = new Map(ids.map((id) => [id, 0]));
  const statusErrors = new Map(ids.map((id) => [id, 0]));
  const reconnects = new Map(ids.map((id) => [id, 0]));
  // boots: 1 + the board's reboots (resets; any other is a crash too); the peer accounts each boot on its own (accounting.js)
  const boots = new Map(ids.map((id) => [id, 1]));
  // a board's Wi-Fi fault makes its client connect without an IP (the emulator's connect-without-ip rule):
  // expected then, not a crash
  const offline = new Set(checked.filter((f) => f.kind === "wifi").flatMap((f) => (f.boards === undefined ? ids : matchBoards(f.boards, ids))));
  const live = liveState(ids);
  let peer;
  let net;
  let fleet;
  try {
    peer = await startPeer(urls);
    net = await boardNetwork({ entries, urls, broker, peer, useProxy: cluster > 1 || checked.length > 0 });
    fleet = await bootFleet({
      app: "metrics",
      seed,
      specs: entries.map((e) => ({ name: e.name, id: e.id, app: e.app, profile: e.profile, config: appConfig(e, net.serversOf(e.id)) })),
      onEvent: (board, kind, detail) => {
        const bump = (map) => map.set(board.id, map.get(board.id) + 1);
        const scripted = (kind === "reboot" && detail.startsWith("external")) || (kind === "fault" && detail.startsWith("connect-without-ip") && offline.has(board.id));
        if (kind === "reboot") {
          bump(boots);
          peer.newBoot(board.id);
        }
        if (!scripted && (kind === "crash" || kind === "panic" || kind === "fault" || kind === "reboot")) bump(crashes);
        if (kind === "print" && detail.startsWith("status error")) bump(statusErrors);
        if (kind === "print" && detail.startsWith("status reconnect")) bump(reconnects);
        live.event(board.id, kind, detail);
        if (kind !== "heap" && (kind !== "print" || !detail.startsWith("refused"))) boardLog(`[${board.id}] ${kind} ${detail}`);
      },
    });
    const timeline = checked.map((f) => ({ ...f }));
    let t0;
    monitor?.start(() => ({
      elapsedMs: t0 === undefined ? 0 : Date.now() - t0,
      boards: fleet.boards.map((b) => ({
        id: b.id,
        name: b.name,
        runtime: b.runtime,
        ...live.of(b.id),
        published: peer.published(b.id),
        received: peer.received(b.id),
        reconnects: reconnects.get(b.id),
        free: peer.lastFree(b.id),
      })),
      faults: timeline,
    }));
    const connected = (b) => b.logs.some((l) => l.startsWith("status connect"));
    if (!(await until(() => fleet.boards.every(connected), 10000))) {
      log(`not connected after 10 s: ${fleet.boards.filter((b) => !connected(b)).map((b) => b.id).join(", ")}`);
    }
    const nodes = net.proxy === undefined ? undefined : new Map(entries.map((e) => [e.id, net.proxy.nodeOf(e.id)]));
    t0 = Date.now();
    const [records] = await Promise.all([
      runFaults({ faults: checked, t0, broker, proxy: net.proxy, fleet, ids, admitted: net.admitted, log, onChange: (i, record) => Object.assign(timeline[i], record) }),
      sleep(durationS * 1000),
    ]);
    const rows = await Promise.all(
      fleet.boards.map(async (b) => ({
        ...(await collect(b, peer, crashes.get(b.id) + statusErrors.get(b.id), nodes?.get(b.id), boots.get(b.id), live.of(b.id).dropped)),
        crashes: crashes.get(b.id),
        statusErrors: statusErrors.get(b.id),
        reconnects: reconnects.get(b.id),
        minFree: peer.minFree(b.id),
      })),
    );
    // the live view's last word: the boards have stopped and the peer has what they sent
    monitor?.stop();
    // under faults the clients report errors (stale links, closed sockets): only crashes count then
    const ok = rows.every(
      (r) => r.published !== undefined && r.published > 0 && r.lost === 0 && r.received - r.tail === r.published && r.ping === "ok" && (checked.length > 0 ? r.crashes === 0 : r.errors === 0),
    );
    return { serverUrl, rows, ok, faults: records, t0, arrivals: new Map(ids.map((id) => [id, peer.arrivals(id)])) };
  } finally {
    monitor?.stop();
    await fleet?.stop();
    await net?.proxy?.stop();
    await peer?.close();
    await broker?.stop();
  }
}

/**
 * Each board's connection state and dropped publishes from what it printed: its client's status events
 * ("status connect|reconnect|disconnect|close …") and "refused …" lines; a crash is "down".
 */
function liveState(ids) {
  const states = new Map(ids.map((id) => [id, { state: "connecting", dropped: 0 }]));
  const NEXT = { connect: "connected", reconnect: "connected", disconnect: "reconnecting", close: "down" };
  return {
    event(id, kind, detail) {
      const s = states.get(id);
      if (kind === "crash" || kind === "panic") s.state = "down";
      // a reset pin held: off until released; any other reboot boots again at once
      if (kind === "reboot") s.state = detail.startsWith("external") ? "down" : "connecting";
      if (kind === "boot") s.state = "connecting";
      if (kind !== "print") return;
      if (detail.startsWith("refused")) s.dropped++;
      const m = /^status (\w+)/.exec(detail);
      if (m && NEXT[m[1]]) s.state = NEXT[m[1]];
    },
    of: (id) => ({ ...states.get(id) }),
  };
}

/**
 * Stops the board's publishing and counts: its row of the summary, accounted per boot (accounting.js).
 * `boots`: 1 + the board's resets; `dropped`: the refusals it printed (they span its boots; its stop reply
 * counts the current boot's only).
 */
async function collect(b, peer, errors, node, boots, dropped) {
  const pong = await peer.command(b.id, "ping", "sim");
  const counts = await peer.command(b.id, "stop");
  const [sent, refused] = counts === undefined ? [undefined, undefined] : counts.split(" ").map(Number);
  const account = () => accountBoard(peer.epochs(b.id), sent, boots);
  if (sent !== undefined) await until(() => account().epochs.at(-1).lost === 0, 5000);
  const a = account();
  return {
    board: b.id,
    runtime: b.runtime,
    node,
    published: a.published,
    received: a.received,
    lost: a.lost,
    tail: a.tail,
    boots: a.boots,
    refused: refused === undefined ? undefined : boots > 1 ? dropped : refused,
    errors,
    free: peer.lastFree(b.id),
    payloadBytes: peer.payloadBytes(b.id),
    ping: pong === "pong sim" ? "ok" : "no reply",
  };
}

export function summaryTable(rows) {
  const withNode = rows.some((r) => r.node !== undefined);
  // boots: shown once a board was reset (its counts are per boot: accounting.js)
  const withBoots = rows.some((r) => (r.boots ?? 1) > 1);
  const header = ["board", "runtime", ...(withNode ? ["node"] : []), "published", "received by peer", "refused", "errors", ...(withBoots ? ["boots"] : []), "free memory", "ping"];
  const unit = (r) => (r.free === undefined ? "-" : `${r.free} ${r.runtime === "espruino" ? "vars" : "B"}`);
  const cells = rows.map((r) =>
    [r.board, r.runtime, ...(withNode ? [r.node ?? "-"] : []), r.published ?? "-", r.received, r.refused ?? "-", r.errors, ...(withBoots ? [r.boots] : []), unit(r), r.ping].map(String),
  );
  const all = [header, ...cells];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const numeric = (i) => i >= 2 && i < header.length - 1;
  return all.map((row) => row.map((c, i) => (numeric(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ")).join("\n");
}
