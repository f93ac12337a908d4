// The simulation's report (`--report out.json`): per-board and total counters, each fault with each board's
// recovery time (from the fault's end to the board's next message at the peer), memory high-water marks,
// and the verdict against the expectations ({ maxLoss, maxRecoveryMs }), which sets the exit code.
import { loadBoards } from "../tools/boards.js";

/** ms from `endAt` to the first arrival at or after it; null if none came. */
function recovery(arrivals, endAt) {
  const next = arrivals.find((t) => t >= endAt);
  return next === undefined ? null : next - endAt;
}

/**
 * `result`: what simulate() returned; `run`: { seed, durationS, cluster, intervalMs, boards (expanded
 * entries) }; `expect`: { maxLoss?, maxRecoveryMs? } (maxLoss defaults to 0).
 */
export function buildReport(result, run, expect = {}, catalogue = loadBoards()) {
  const nameOf = new Map(run.boards.map((b) => [b.id, b.name]));
  const boards = result.rows.map((r) => {
    const memory = catalogue[nameOf.get(r.board)].memory;
    const minFree = r.minFree;
    return {
      id: r.board,
      board: nameOf.get(r.board),
      runtime: r.runtime,
      node: r.node ?? 0,
      published: r.published ?? null,
      received: r.received,
      // per boot when the board was reset (accounting.js); heardAfterLastReport: arrivals a reset cut off
      // from the board's last count (received, neither published nor lost)
      lost: r.published === undefined ? null : (r.lost ?? Math.max(0, r.published - r.received)),
      boots: r.boots ?? 1,
      payloadBytes: r.payloadBytes ?? null,
      heardAfterLastReport: r.tail ?? 0,
      dropped: r.refused ?? null,
      reconnects: r.reconnects,
      statusErrors: r.statusErrors,
      crashes: r.crashes,
      ping: r.ping,
      memory: { unit: memory.unit, budget: memory.budget, minFree: minFree ?? null, highWater: minFree === undefined ? null : memory.budget - minFree },
    };
  });
  const sum = (key) => boards.reduce((a, b) => a + (b[key] ?? 0), 0);
  const faults = result.faults.map((f) => {
    const recoveryMs = Object.fromEntries(boards.map((b) => [b.id, recovery(result.arrivals.get(b.id) ?? [], result.t0 + f.endMs)]));
    const times = Object.values(recoveryMs);
    return { ...f, recoveryMs, maxRecoveryMs: times.includes(null) ? null : Math.max(...times) };
  });
  const maxLoss = expect.maxLoss ?? 0;
  const failures = [];
  for (const b of boards) {
    if (b.published === null || b.published === 0) failures.push(`${b.id}: published nothing (or did not answer the stop command)`);
    if (b.ping !== "ok") failures.push(`${b.id}: no reply to ping`);
    if (b.crashes > 0) failures.push(`${b.id}: crashed ${b.crashes} time(s)`);
    if (faults.length === 0 && b.statusErrors > 0) failures.push(`${b.id}: ${b.statusErrors} client error(s) with no fault scripted`);
  }
  const lost = sum("lost");
  if (lost > maxLoss) failures.push(`lost ${lost} message(s), more than maxLoss ${maxLoss}`);
  for (const f of faults) {
    for (const [id, ms] of Object.entries(f.recoveryMs)) {
      if (ms === null) failures.push(`${f.kind} at ${f.at} s: ${id} was not heard from after it`);
      else if (expect.maxRecoveryMs !== undefined && ms > expect.maxRecoveryMs) failures.push(`${f.kind} at ${f.at} s: ${id} recovered in ${ms} ms, more than maxRecoveryMs ${expect.maxRecoveryMs}`);
    }
  }
  return {
    seed: run.seed,
    durationS: run.durationS,
    cluster: run.cluster ?? 1,
    server: result.serverUrl,
    expect: { maxLoss, ...(expect.maxRecoveryMs !== undefined ? { maxRecoveryMs: expect.maxRecoveryMs } : {}) },
    totals: {
      boards: boards.length,
      published: sum("published"),
      received: sum("received"),
      lost,
      dropped: sum("dropped"),
      reconnects: sum("reconnects"),
      crashes: sum("crashes"),
      boots: sum("boots"),
      heardAfterLastReport: sum("heardAfterLastReport"),
    },
    boards,
    faults,
    verdict: { pass: failures.length === 0, failures },
  };
}
