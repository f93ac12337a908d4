// The simulator's peer: `nats` npm clients that count what each board publishes, note when it arrived
// and the board's lowest reported free memory, and send the boards commands. Given several URLs (the
// nodes of a cluster) it keeps one connection per node, all in one queue group: each message is counted
// once, and while a node is down the members on the others still hear the boards.
//
// Boot epochs: a board's counters restart when it boots again (a reset), so the peer counts per boot. Once
// the simulator says the board rebooted (newBoot), a new epoch starts at the first message whose uptime
// is below the last one heard (the new boot's first round); without a reboot an uptime that goes back is
// only a reordering (a cluster delivers through several nodes) and starts nothing. In an epoch, the board's "sent" reports say how many it
// had published since boot (that report included); what arrived up to the last report is "confirmed".
// An ended epoch published its last report's count; what it lost is that minus the confirmed arrivals.
// Messages heard after the last report (a round cut short by the reset) are its "tail": heard, but no
// report of the board covers them. The current epoch's exact count comes from the stop command.
import { connect } from "nats";

const QUEUE = "nats-mcu-sim-peer";

export async function startPeer(urls) {
  const list = Array.isArray(urls) ? urls : [urls];
  const received = new Map();
  const arrivals = new Map();
  const lastFree = new Map();
  const minFree = new Map();
  const epochs = new Map(); // board → [{ received, confirmed, sent, uptime }]
  const reboots = new Map(); // board → reboots the simulator reported and no epoch has started for yet
  const sizes = new Map(); // board → { min, max } payload bytes
  const members = [];
  const epochOf = (board, name, value) => {
    if (!epochs.has(board)) epochs.set(board, []);
    const list = epochs.get(board);
    let e = list.at(-1);
    const pending = reboots.get(board) ?? 0;
    if (e === undefined || (pending > 0 && name === "uptime" && Number.isFinite(value) && value < e.uptime)) {
      if (e !== undefined) reboots.set(board, pending - 1);
      e = { received: 0, confirmed: 0, sent: 0, uptime: -Infinity };
      list.push(e);
    }
    return e;
  };
  const count = (m) => {
    const [, board, name] = m.subject.split(".");
    received.set(board, (received.get(board) ?? 0) + 1);
    if (!arrivals.has(board)) arrivals.set(board, []);
    arrivals.get(board).push(Date.now());
    const size = sizes.get(board) ?? { min: Infinity, max: 0 };
    sizes.set(board, { min: Math.min(size.min, m.data.length), max: Math.max(size.max, m.data.length) });
    const value = Number(m.string());
    const epoch = epochOf(board, name, value);
    epoch.received++;
    if (name === "uptime" && Number.isFinite(value)) epoch.uptime = value;
    // the board's own count of what it published since boot, this message included
    if (name === "sent" && Number.isFinite(value)) {
      epoch.sent = Math.max(epoch.sent, value);
      epoch.confirmed = epoch.received;
    }
    if (name === "free") {
      const free = Number(m.string());
      lastFree.set(board, Number.isFinite(free) ? String(free) : m.string());
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
    /** What the board reported it had published, over its boots (its "sent" counts); undefined before its first report. */
    published: (board) => (epochs.has(board) ? epochs.get(board).reduce((a, e) => a + e.sent, 0) : undefined),
    /** The board rebooted (its counters restart): its next uptime below the last one heard starts a new epoch. */
    newBoot: (board) => reboots.set(board, (reboots.get(board) ?? 0) + 1),
    /** The smallest and largest payload (bytes) heard from the board; undefined before the first. */
    payloadBytes: (board) => (sizes.has(board) ? { ...sizes.get(board) } : undefined),
    /** The board's boot epochs so far, oldest first: [{ received, confirmed, sent, uptime }] (copies). */
    epochs: (board) => (epochs.get(board) ?? []).map((e) => ({ ...e })),
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
