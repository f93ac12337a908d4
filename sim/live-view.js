// The live view of `nats-mcu sim`: pure functions from a stats snapshot (and the one before it, for rates)
// to text. live-monitor.js decides when and where the text goes (a redrawn block on a TTY, periodic lines
// otherwise). A snapshot:
//
//   { elapsedMs,
//     boards: [{ id, name, runtime, state, published, received, dropped, reconnects, free }],
//     faults: [{ kind, at, duration, boards?, nodes?, node?, startMs?, endMs? }] }
//
// state: "connecting" (booted, not yet connected), "connected", "reconnecting" (lost its server, the
// client is trying again), "down" (the client closed, or the runtime crashed). published: the board's own
// count (its last "sent" report as heard by the peer); received: what the peer got; dropped: publishes the
// client refused; free: the board's last reported free memory (JsVars on Espruino, bytes on NodeMCU).

export const STATES = ["connecting", "connected", "reconnecting", "down"];

const sum = (list, key) => list.reduce((a, b) => a + (b[key] ?? 0), 0);

/** Totals over the boards: { boards, states: { <state>: n }, published, received, dropped, reconnects }. */
export function totalsOf(snapshot) {
  const states = Object.fromEntries(STATES.map((s) => [s, snapshot.boards.filter((b) => b.state === s).length]));
  const b = snapshot.boards;
  return { boards: b.length, states, published: sum(b, "published"), received: sum(b, "received"), dropped: sum(b, "dropped"), reconnects: sum(b, "reconnects") };
}

/** msg/s published and received between `prev` and `snapshot` (since the start when there is no prev). */
export function ratesOf(snapshot, prev) {
  const now = totalsOf(snapshot);
  const before = prev === undefined ? { published: 0, received: 0 } : totalsOf(prev);
  const seconds = (snapshot.elapsedMs - (prev?.elapsedMs ?? 0)) / 1000;
  const rate = (key) => (seconds > 0 ? Math.max(0, now[key] - before[key]) / seconds : 0);
  return { published: rate("published"), received: rate("received") };
}

/** "pending", "active" or "over" at `elapsedMs`. */
export function faultPhase(f, elapsedMs) {
  if (f.endMs !== undefined && f.endMs <= elapsedMs) return "over";
  if (f.startMs !== undefined && f.startMs <= elapsedMs) return "active";
  return "pending";
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** What a fault hits: "2 boards", "node 1", "broker". */
function targetOf(f) {
  if (f.boards !== undefined) return f.boards.length === 1 ? `board ${f.boards[0]}` : `${f.boards.length} boards`;
  if (f.node !== undefined) return `node ${f.node}`;
  return "broker";
}

/** One line per fault: when it is due, started, ended; the active ones marked. */
export function faultTimeline(snapshot) {
  return snapshot.faults.map((f) => {
    const phase = faultPhase(f, snapshot.elapsedMs);
    const when = phase === "pending" ? `due at ${f.at} s for ${f.duration} s` : phase === "active" ? `since ${seconds(f.startMs)}` : `${seconds(f.startMs)} – ${seconds(f.endMs)}`;
    return `${phase === "active" ? "▶" : phase === "over" ? "✓" : "·"} ${f.kind} (${targetOf(f)}) ${phase}, ${when}`;
  });
}

const freeText = (b) => (b.free === undefined ? "-" : `${b.free}${b.runtime === "espruino" ? " vars" : " B"}`);
const stateText = (states) =>
  STATES.filter((s) => states[s] > 0)
    .map((s) => `${states[s]} ${s}`)
    .join(", ");

function table(header, rows) {
  const all = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd());
}

/** Per board rows, or per board type (name) once there are more than `groupAbove` boards. */
function boardRows(snapshot, groupAbove) {
  const header = ["published", "received", "dropped", "reconnects", "free"];
  if (snapshot.boards.length <= groupAbove) {
    return table(
      ["board", "state", ...header],
      snapshot.boards.map((b) => [b.id, b.state, b.published ?? "-", b.received, b.dropped, b.reconnects, freeText(b)]),
    );
  }
  const groups = new Map();
  for (const b of snapshot.boards) groups.set(b.name, [...(groups.get(b.name) ?? []), b]);
  return table(
    ["board type", "boards (state)", ...header.slice(0, 4), "lowest free"],
    [...groups].map(([name, list]) => {
      const frees = list.filter((b) => b.free !== undefined);
      const lowest = frees.length === 0 ? undefined : frees.reduce((a, b) => (b.free < a.free ? b : a));
      return [name, `${list.length} (${stateText(totalsOf({ boards: list }).states)})`, sum(list, "published"), sum(list, "received"), sum(list, "dropped"), sum(list, "reconnects"), lowest === undefined ? "-" : freeText(lowest)];
    }),
  );
}

/** The block a TTY shows: header with totals and rates, the boards (or groups), the fault timeline. */
export function liveLines(snapshot, prev, { groupAbove = 20 } = {}) {
  const t = totalsOf(snapshot);
  const r = ratesOf(snapshot, prev);
  const lines = [
    `nats-mcu sim  ${seconds(snapshot.elapsedMs)}  boards ${t.boards}: ${stateText(t.states)}`,
    `published ${t.published}  received ${t.received}  dropped ${t.dropped}  reconnects ${t.reconnects}  rate ${r.published.toFixed(1)} msg/s out, ${r.received.toFixed(1)} msg/s in`,
    "",
    ...boardRows(snapshot, groupAbove),
  ];
  if (snapshot.faults.length > 0) lines.push("", "faults:", ...faultTimeline(snapshot).map((l) => `  ${l}`));
  return lines;
}

/** The periodic line without a TTY: time, states, totals, rates, active faults. */
export function plainLine(snapshot, prev) {
  const t = totalsOf(snapshot);
  const r = ratesOf(snapshot, prev);
  const active = snapshot.faults.filter((f) => faultPhase(f, snapshot.elapsedMs) === "active").map((f) => `${f.kind} (${targetOf(f)})`);
  return (
    `[${seconds(snapshot.elapsedMs)}] boards ${t.boards} (${stateText(t.states)}) published ${t.published} received ${t.received} dropped ${t.dropped} ` +
    `reconnects ${t.reconnects} rate ${r.published.toFixed(1)}/${r.received.toFixed(1)} msg/s out/in${active.length > 0 ? ` faults active: ${active.join(", ")}` : ""}`
  );
}
