// `nats-mcu sim` (tools/cli.js): command-line options (and a scenario file) → a simulation → the summary,
// the report and JUnit files; resolves with the exit code (0 when the verdict passes).
import { writeFileSync } from "node:fs";
import { loadBoards } from "../tools/boards.js";
import { checkFaults, parseFaultFlag } from "./fault-spec.js";
import { defaultFleet, expandFleet, loadFleetFile, parseBoardFlags } from "./fleet-spec.js";
import { junitXml } from "./junit.js";
import { createLiveMonitor } from "./live-monitor.js";
import { buildReport } from "./report.js";
import { loadScenario } from "./scenario.js";
import { simulate, summaryTable } from "./simulate.js";

function positive(value, flag, min = 0) {
  const n = Number(value);
  if (!(n > min) || !Number.isFinite(n)) throw new Error(`${flag} must be a number above ${min}, got ${value}`);
  return n;
}

/** The run's settings from the options: { boards (expanded), durationS, seed, intervalMs, cluster, faults, expect }. */
export function simSettings(o, catalogue = loadBoards()) {
  const sources = [o.fleet !== undefined && "--fleet", o.board.length > 0 && "--board", o.scenario !== undefined && "--scenario"].filter(Boolean);
  if (sources.length > 1) throw new Error(`${sources.join(" and ")}: give one of them`);
  const scenario = o.scenario !== undefined ? loadScenario(o.scenario, catalogue) : undefined;
  const doc = scenario ?? (o.fleet !== undefined ? loadFleetFile(o.fleet, catalogue) : o.board.length > 0 ? parseBoardFlags(o.board, catalogue) : defaultFleet(catalogue));
  const intervalMs = o.interval !== undefined ? positive(o.interval, "--interval", 9) : (scenario?.intervalMs ?? 1000);
  const durationS = o.duration !== undefined ? positive(o.duration, "--duration") : (doc.durationS ?? 10);
  let seed = doc.seed ?? 1;
  if (o.seed !== undefined) {
    seed = Number(o.seed);
    if (!(Number.isInteger(seed) && seed >= 0)) throw new Error(`--seed must be a non-negative integer, got ${o.seed}`);
  }
  const cluster = o.cluster !== undefined ? Number(o.cluster) : (scenario?.cluster ?? 1);
  if (!(Number.isInteger(cluster) && cluster >= 1 && cluster <= 16)) throw new Error(`--cluster must be a node count from 1 to 16, got ${o.cluster}`);
  const embedded = (o.server ?? process.env.NATS_URL) === undefined;
  if (cluster > 1 && !embedded) throw new Error("--cluster embeds its own nats-servers: drop --server (and NATS_URL)");
  const flags = o.fault ?? [];
  const faults = [...(scenario?.faults ?? []), ...flags.map(parseFaultFlag)];
  const boards = expandFleet(doc, { intervalMs });
  const fromFile = scenario?.faults?.length ?? 0;
  checkFaults(faults, { durationS, nodes: cluster, embedded, ids: boards.map((b) => b.id) }, (i) => (i < fromFile ? `${o.scenario}: faults[${i}]` : `--fault ${flags[i - fromFile]}`));
  return { boards, durationS, seed, intervalMs, cluster, faults, expect: scenario?.expect ?? {} };
}

export async function simRun(o) {
  const settings = simSettings(o);
  // the live view: redrawn on a TTY (one with a size: a 0-row pty would show nothing), else a line every
  // 2 s; nothing but the summary with --quiet
  const tty = Boolean(process.stdout.isTTY) && process.stdout.rows !== 0;
  const monitor = o.quiet ? undefined : createLiveMonitor({ tty });
  const log = monitor === undefined ? () => {} : (line) => monitor.log(line);
  const result = await simulate({
    ...settings,
    server: o.server ?? process.env.NATS_URL,
    monitor,
    log,
    boardLog: o.verbose ? log : () => {},
  });
  const report = buildReport(result, settings, settings.expect);
  console.log(summaryTable(result.rows));
  for (const f of report.faults) console.log(`fault ${f.kind} at ${f.at} s: boards heard again within ${f.maxRecoveryMs ?? "-"} ms of its end`);
  if (o.report !== undefined) writeFileSync(o.report, `${JSON.stringify(report, null, 2)}\n`);
  if (o.junit !== undefined) writeFileSync(o.junit, junitXml(report));
  if (!report.verdict.pass) {
    console.error(`nats-mcu sim: FAIL\n  ${report.verdict.failures.join("\n  ")}`);
    return 1;
  }
  console.log(`verdict: pass (lost ${report.totals.lost}, maxLoss ${report.expect.maxLoss})`);
  return 0;
}
