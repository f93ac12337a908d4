// Runs a simulation's faults (fault-spec.js) at their times against the broker (broker.js) and the fault
// proxy (fault-proxy.js). Each fault's record gets startMs and endMs (ms from the start): the end is when
// the fault was lifted and, for a node brought back, when it took boards again.
import { matchBoards } from "./fault-spec.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await sleep(20);
  return predicate();
}

/** What each kind does: start(), then after the duration, end(). */
function actions(f, { broker, proxy, fleet, ids, admitted }) {
  const boards = f.boards === undefined ? ids : matchBoards(f.boards, ids);
  const nodes = f.node !== undefined ? [f.node] : broker ? broker.nodes.map((n) => n.index) : [];
  const back = async () => {
    for (const i of nodes) await broker.startNode(i);
    await until(() => nodes.every(admitted), 10000);
  };
  switch (f.kind) {
    case "partition":
      return { boards, start: () => proxy.partition(boards), end: () => proxy.heal(boards) };
    case "latency":
    case "bandwidth":
    case "fragment": {
      const shaping = f.kind === "latency" ? { latencyMs: f.ms } : f.kind === "bandwidth" ? { bytesPerSec: f.bytesPerSec } : { fragment: f.bytes };
      return { boards, start: () => proxy.shape(boards, shaping), end: () => proxy.shape(boards, {}) };
    }
    case "restart":
      return { nodes, start: () => Promise.all(nodes.map((i) => broker.stopNode(i))), end: back };
    case "kill":
      return { nodes, start: () => broker.stopNode(f.node, "SIGKILL"), end: back };
    case "ldm":
      return {
        nodes,
        start: () => broker.lameDuck(f.node),
        end: async () => {
          await broker.stopNode(f.node, "SIGINT");
          await back();
        },
      };
    case "wifi":
      return { boards, start: () => boards.forEach((id) => fleet.accessPoint(id, false)), end: () => boards.forEach((id) => fleet.accessPoint(id, true)) };
    case "reset":
      return { boards, start: () => Promise.all(boards.map((id) => fleet.resetPin(id, true))), end: () => Promise.all(boards.map((id) => fleet.resetPin(id, false))) };
    case "stall":
      return { nodes, start: () => nodes.forEach((i) => broker.stall(i)), end: () => nodes.forEach((i) => broker.resume(i)) };
    default:
      throw new Error(`unknown fault kind ${f.kind}`);
  }
}

/**
 * Runs every fault at t0 + at; resolves with their records once all have ended:
 * [{ kind, at, duration, node?, nodes?, boards?, …params, startMs, endMs }]. `onChange(i, fields)` hears
 * fault i's targets and startMs when it starts, its endMs when it has ended (the live view's timeline).
 */
export async function runFaults({ faults, t0, broker, proxy, fleet, ids, admitted = () => true, log = () => {}, onChange = () => {} }) {
  return Promise.all(
    faults.map(async (f, i) => {
      const act = actions(f, { broker, proxy, fleet, ids, admitted });
      await sleep(t0 + f.at * 1000 - Date.now());
      const what = `${f.kind}${act.boards ? ` of ${act.boards.length} board(s)` : ""}${f.node !== undefined ? ` of node ${f.node}` : ""}`;
      log(`fault: ${what} at ${f.at} s${f.duration ? ` for ${f.duration} s` : ""}`);
      const startMs = Date.now() - t0;
      const targets = act.boards ? { boards: act.boards } : { nodes: act.nodes };
      onChange(i, { ...targets, startMs });
      await act.start();
      await sleep(t0 + (f.at + f.duration) * 1000 - Date.now());
      await act.end();
      const endMs = Date.now() - t0;
      onChange(i, { endMs });
      log(`fault: ${what} over at ${(endMs / 1000).toFixed(1)} s`);
      return { ...f, ...targets, startMs, endMs };
    }),
  );
}
