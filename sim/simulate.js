// `nats-mcu sim`: boards running the metrics app against nats-server (embedded unless a URL is given),
// a peer counting what arrives from each, then a summary: board, runtime, published, received by the
// peer, refused, errors.
import { startServer } from "./server/nats-server.js";
import { bootFleet, instanceIds } from "./fleet.js";
import { startPeer } from "./peer.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await sleep(50);
  return predicate();
}

/** Runs the simulation; returns { serverUrl, rows, ok }. */
export async function simulate({ boards, durationS, server, intervalMs = 1000, log = () => {} }) {
  const embedded = server === undefined ? await startServer() : undefined;
  const serverUrl = server ?? embedded.url;
  log(embedded ? `embedded nats-server on ${serverUrl}` : `using nats-server at ${serverUrl}`);
  const peer = await startPeer(serverUrl);
  const ids = instanceIds(boards);
  const errors = new Map(ids.map((id) => [id, 0]));
  let fleet;
  try {
    fleet = await bootFleet({
      app: "metrics",
      specs: boards.map((name, i) => ({ name, id: ids[i], config: { boardId: ids[i], servers: serverUrl, intervalMs } })),
      onEvent: (board, kind, detail) => {
        const bad =
          kind === "crash" ||
          kind === "panic" ||
          kind === "fault" ||
          kind === "reboot" ||
          (kind === "print" && detail.startsWith("status error"));
        if (bad) errors.set(board.id, errors.get(board.id) + 1);
        if (kind !== "heap" && (kind !== "print" || !detail.startsWith("refused"))) log(`[${board.id}] ${kind} ${detail}`);
      },
    });
    const connected = (b) => b.logs.some((l) => l.startsWith("status connect"));
    if (!(await until(() => fleet.boards.every(connected), 10000))) {
      log(`not connected after 10 s: ${fleet.boards.filter((b) => !connected(b)).map((b) => b.id).join(", ")}`);
    }
    await sleep(durationS * 1000);
    const rows = [];
    for (const b of fleet.boards) {
      const pong = await peer.command(b.id, "ping", "sim");
      const counts = await peer.command(b.id, "stop");
      const [sent, refused] = counts === undefined ? [undefined, undefined] : counts.split(" ").map(Number);
      if (sent !== undefined) await until(() => peer.received(b.id) >= sent, 5000);
      rows.push({
        board: b.id,
        runtime: b.runtime,
        published: sent,
        received: peer.received(b.id),
        refused,
        errors: errors.get(b.id),
        free: peer.lastFree(b.id),
        ping: pong === "pong sim" ? "ok" : "no reply",
      });
    }
    const ok = rows.every((r) => r.published !== undefined && r.published > 0 && r.received === r.published && r.errors === 0 && r.ping === "ok");
    return { serverUrl, rows, ok };
  } finally {
    await fleet?.stop();
    await peer.close();
    await embedded?.stop();
  }
}

export function summaryTable(rows) {
  const header = ["board", "runtime", "published", "received by peer", "refused", "errors", "free memory", "ping"];
  const unit = (r) => (r.free === undefined ? "-" : `${r.free} ${r.runtime === "espruino" ? "vars" : "B"}`);
  const cells = rows.map((r) => [r.board, r.runtime, r.published ?? "-", r.received, r.refused ?? "-", r.errors, unit(r), r.ping].map(String));
  const all = [header, ...cells];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  return all.map((row) => row.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ")).join("\n");
}
