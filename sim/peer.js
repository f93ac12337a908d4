// The simulator's peer: `nats` npm clients that count what each board publishes, note when it arrived
// and the board's lowest reported free memory, and send the boards commands. Given several URLs (the
// nodes of a cluster) it keeps one connection per node, all in one queue group: each message is counted
// once, and while a node is down the members on the others still hear the boards.
import { connect } from "nats";

const QUEUE = "nats-mcu-sim-peer";

export async function startPeer(urls) {
  const list = Array.isArray(urls) ? urls : [urls];
  const received = new Map();
  const arrivals = new Map();
  const lastFree = new Map();
  const minFree = new Map();
  const published = new Map();
  const members = [];
  const count = (m) => {
    const [, board, name] = m.subject.split(".");
    received.set(board, (received.get(board) ?? 0) + 1);
    if (!arrivals.has(board)) arrivals.set(board, []);
    arrivals.get(board).push(Date.now());
    // the board's own count of what it published since boot, this message included
    if (name === "sent") published.set(board, Number(m.string()));
    if (name === "free") {
      const free = Number(m.string());
      lastFree.set(board, m.string());
      if (Number.isFinite(free)) minFree.set(board, Math.min(free, minFree.get(board) ?? Infinity));
    }
  };
  for (const url of list) {
    const nc = await connect({
      servers: url,
      name: "nats-mcu-sim-peer",
      maxReconnectAttempts: -1,
      reconnectTimeWait: 50,
      reconnectJitter: 0,
      // a peer on one node only: it never moves to another (the other members are there)
      ignoreClusterUpdates: true,
    });
    const member = { url, nc, connected: true, since: Date.now() };
    (async () => {
      for await (const s of nc.status()) {
        if (s.type === "disconnect") member.connected = false;
        if (s.type === "reconnect") {
          // connected again once the server has the subscription back
          await nc.flush().catch(() => {});
          member.connected = !nc.isClosed();
          member.since = Date.now();
        }
      }
    })();
    nc.subscribe("metrics.>", list.length > 1 ? { queue: QUEUE, callback: (err, m) => err || count(m) } : { callback: (err, m) => err || count(m) });
    await nc.flush();
    members.push(member);
  }
  return {
    received: (board) => received.get(board) ?? 0,
    /** Every board id heard from so far. */
    heard: () => [...received.keys()],
    /** Arrival times (Date.now()) of the board's messages, in order. */
    arrivals: (board) => arrivals.get(board) ?? [],
    /** What the board last reported it had published (its "sent" count); undefined before its first report. */
    published: (board) => published.get(board),
    /** The board's last reported free memory (JsVars on Espruino, heap bytes on NodeMCU). */
    lastFree: (board) => lastFree.get(board),
    /** The lowest free memory the board reported. */
    minFree: (board) => minFree.get(board),
    /** Whether the member on the node with this URL is connected and subscribed. */
    connectedTo: (url) => members.some((m) => m.url === url && m.connected),
    /** Request/reply to a board through the first connected member; the reply text, or undefined after timeoutMs. */
    async command(board, cmd, payload = "", timeoutMs = 5000) {
      const member = members.find((m) => m.connected) ?? members[0];
      try {
        const m = await member.nc.request(`cmd.${board}.${cmd}`, new TextEncoder().encode(payload), { timeout: timeoutMs });
        return m.string();
      } catch {
        return undefined;
      }
    },
    flush: () => Promise.all(members.filter((m) => m.connected).map((m) => m.nc.flush())),
    async close() {
      await Promise.all(members.map((m) => (m.nc.isClosed() ? undefined : m.nc.drain().catch(() => m.nc.close()))));
    },
  };
}
