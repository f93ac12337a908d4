// Fleet ramp (issue 11): the largest fleet of each runtime that sustains one publish round per second
// per board with nothing lost, found by growing the fleet step by step. Each step runs in a worker
// process of its own (this file, forked with --ramp-step): it starts a nats-server and an observer,
// then runs sim/simulate.js's metrics fleet against them. The parent samples the worker's process
// tree in /proc (CPU, RSS) and kills the tree if the step outlives its timeout, so a step can neither
// hang the ramp nor leave boards running into the next one.
//
// A step is clean when every board connected, every board's count of publishes arrived (received ===
// published), nothing was refused, no board reported an error or lost its link, and in the steady
// window (from 1 s after the last board connected to the end of the run) every board kept real time
// (see RATE_TOLERANCE, MAX_LAG). Per step: bootS is from calling simulate() to the last board's
// "status connect" (peer connect, loading the boards, their connects); wallS is simulate() and the
// server's stop; cpuPercent is the CPU of the worker and every child it reaped (Lua hosts,
// nats-server) over wallS, in % of one core; steadyCpuPercent the same from /proc over the steady
// window, by process in steadyCpu; othersCpuPercent what the rest of the machine used meanwhile;
// rssMB the peak RSS of the worker's process tree, sampled every 250 ms from the fleet's start.
import { fork } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const THIS_FILE = fileURLToPath(import.meta.url);
// NodeMCU first: its ramp ends earlier (Lua processes of at most 100 boards, sim/fleet.js), so it gets at most `share`
// of the time budget and Espruino, whose boards cost less and take longer to boot, all that is left.
// Espruino's small fleets are far from its limit: its steps grow ×4 up to 800 boards so that their fixed
// costs (a worker's start, the run) leave the budget room for the 1600-board step (~1.5 min of boot).
const RUNTIMES = [
  { runtime: "nodemcu", board: "esp8266-nodemcu", share: 0.35, counts: [10, 25, 50, 100, 200, 400, 800] },
  { runtime: "espruino", board: "esp32-espruino", share: 1, counts: [10, 50, 200, 800, 1600, 3200] },
];
const MESSAGES_PER_ROUND = 4; // the metrics app publishes uptime, free memory, a reading and its sent count each round
const SAMPLE_MS = 250;
const CLK_TCK = 100; // USER_HZ: /proc times are in these ticks on every Linux architecture Node runs on
// A board keeping real time publishes one round per interval (its rate 1 ± 10 %: a board that lags and
// then catches up shows above 1), each arriving no later than half an interval behind its own clock.
const RATE_TOLERANCE = 0.1;
const MAX_LAG = 0.5;
const MIN_RATE_WINDOW_S = 3; // shorter windows are too coarse to judge the rate

// ---- /proc ---------------------------------------------------------------------------------------------

/** pid → { ppid, comm, ticks (utime + stime) } of every process now visible in /proc. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "latin1");
    } catch {
      continue; // exited meanwhile
    }
    // comm is in parentheses and may itself contain spaces or parentheses: split after the last ")"
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const f = stat.slice(close + 2).split(" "); // f[0] is field 3 (state)
    table.set(Number(name), { ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) });
  }
  return table;
}

/** root and its descendants, children after their parent. */
function treeOf(root, table) {
  const pids = table.has(root) ? [root] : [];
  for (let i = 0; i < pids.length; i++) {
    for (const [pid, p] of table) if (p.ppid === pids[i]) pids.push(pid);
  }
  return pids;
}

function rssKB(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "latin1"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Busy CPU ticks of the whole machine, all cores (/proc/stat: everything but idle and iowait). */
function machineBusyTicks() {
  const f = readFileSync("/proc/stat", "latin1").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return f.reduce((a, b) => a + b, 0) - f[3] - f[4];
}

/** One look at a process tree: when, CPU ticks per pid (with its name), total RSS, the machine's busy ticks. */
function sampleTree(root) {
  const busy = machineBusyTicks();
  const table = processTable();
  const procs = new Map();
  let rss = 0;
  for (const pid of treeOf(root, table)) {
    const { comm, ticks } = table.get(pid);
    procs.set(pid, { comm: pid === root ? "node" : comm, ticks });
    rss += rssKB(pid);
  }
  return { at: performance.now(), procs, rssMB: rss / 1024, busy };
}

/** CPU % of one core between two samples, per process name, of the processes alive in both. */
function cpuBetween(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const byName = {};
  for (const [pid, p] of b.procs) {
    const before = a.procs.get(pid);
    if (before === undefined) continue;
    byName[p.comm] = (byName[p.comm] ?? 0) + (p.ticks - before.ticks) / CLK_TCK / seconds * 100;
  }
  return byName;
}

/** CPU % of one core the rest of the machine used between two samples (other benchmarks, the system). */
function othersBetween(a, b, ours) {
  const machine = ((b.busy - a.busy) / CLK_TCK / ((b.at - a.at) / 1000)) * 100;
  return Math.max(0, machine - Object.values(ours).reduce((x, y) => x + y, 0));
}

// ---- the worker: one step ------------------------------------------------------------------------------

/** This process's CPU seconds plus those of its children that have exited and been reaped. */
function ownCpuSeconds() {
  const { user, system } = process.cpuUsage();
  const stat = readFileSync("/proc/self/stat", "latin1");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (user + system) / 1e6 + (Number(f[13]) + Number(f[14])) / CLK_TCK; // cutime + cstime
}

/**
 * Watches metrics.<board>.uptime (one message per publish round, its payload the board's uptime in ms)
 * between open() and shut(): per board, the arrivals and their spread, and how far arrival time drifts
 * from the board's own clock (a growing backlog anywhere between the board's timer and the observer).
 */
async function startObserver(url) {
  const { connect } = await import("nats");
  const nc = await connect({ servers: url, name: "nats-mcu-ramp-observer" });
  const sub = nc.subscribe("metrics.*.uptime");
  const boards = new Map();
  let open = false;
  const done = (async () => {
    for await (const m of sub) {
      if (!open) continue;
      const at = performance.now();
      const id = m.subject.slice(8, -7);
      const offset = at - Number(m.string());
      const b = boards.get(id) ?? { count: 0, first: at, last: at, minOffset: offset, maxOffset: offset };
      b.count++;
      b.last = at;
      b.minOffset = Math.min(b.minOffset, offset);
      b.maxOffset = Math.max(b.maxOffset, offset);
      boards.set(id, b);
    }
  })();
  await nc.flush();
  return {
    open: () => {
      open = true;
    },
    shut: () => {
      open = false;
    },
    /** Rounds a second per board over each board's first to last arrival (boards with two or more), and the largest drift. */
    figures(n) {
      const seen = [...boards.values()].filter((b) => b.count > 1);
      const intervals = seen.reduce((a, b) => a + b.count - 1, 0);
      const span = seen.reduce((a, b) => a + b.last - b.first, 0) / 1000;
      return {
        reporting: boards.size,
        rate: span > 0 && seen.length === n ? intervals / span : undefined,
        lagMs: seen.length > 0 ? Math.max(...seen.map((b) => b.maxOffset - b.minOffset)) : undefined,
      };
    },
    async close() {
      await nc.drain();
      await done;
    },
  };
}

/** Follows simulate's log: which boards connected, which never did, how many links were lost. */
function fleetWatch(n, onAllConnected) {
  const connected = new Set();
  const watch = { connectedAt: undefined, notConnected: 0, disconnects: 0 };
  watch.log = (line) => {
    const m = /^\[(\S+)\] print status (connect|disconnect|reconnect) /.exec(line);
    if (m?.[2] === "connect") {
      connected.add(m[1]);
      if (connected.size === n && watch.connectedAt === undefined) {
        watch.connectedAt = performance.now();
        onAllConnected();
      }
    } else if (m?.[2] === "disconnect") {
      watch.disconnects++;
    } else if (line.startsWith("not connected after")) {
      watch.notConnected = n - connected.size;
    }
  };
  watch.connected = () => connected.size;
  return watch;
}

function totals(rows) {
  const sum = (key) => rows.reduce((a, r) => a + (r[key] ?? 0), 0);
  return {
    published: sum("published"),
    received: sum("received"),
    lost: rows.reduce((a, r) => a + Math.max(0, (r.published ?? 0) - r.received), 0),
    refused: sum("refused"),
    errors: sum("errors"),
    silent: rows.filter((r) => r.published === undefined || r.ping !== "ok").length,
  };
}

async function runWorkerStep({ board, boards, durationS, intervalMs }) {
  const send = (msg) => new Promise((resolve) => process.send(msg, resolve));
  const { simulate } = await import("../sim/simulate.js");
  const { startServer } = await import("../sim/server/nats-server.js");
  const { ensureBuilt } = await import("../sim/artifacts.js");
  await ensureBuilt([board]); // a rebuild (sources changed since) is not the step's: bootFleet finds it done
  const server = await startServer();
  const observer = await startObserver(server.url);
  send({ type: "ready" });

  // The steady window: from 1 s after the last board connected to just before simulate starts collecting.
  const t0 = performance.now();
  const windowMs = Math.max(500, durationS * 1000 - 100);
  let windowStart;
  const openWindow = () => {
    windowStart = performance.now();
    observer.open();
    send({ type: "window-start" });
  };
  const closeWindow = () => {
    observer.shut();
    const { rate, lagMs } = observer.figures(boards);
    const windowS = (performance.now() - windowStart) / 1000;
    send({ type: "window-end", windowS, rate: rate === undefined ? undefined : (rate * intervalMs) / 1000, lagMs });
  };
  const watch = fleetWatch(boards, () => {
    send({ type: "connected", bootS: (performance.now() - t0) / 1000 });
    setTimeout(openWindow, Math.min(1000, windowMs / 2));
    setTimeout(closeWindow, windowMs);
  });

  const cpu0 = ownCpuSeconds();
  let result;
  try {
    result = await simulate({ boards: Array(boards).fill(board), durationS, server: server.url, intervalMs, log: watch.log });
  } finally {
    await observer.close();
    await server.stop(); // reaped: its CPU is in cutime now
  }
  const wallS = (performance.now() - t0) / 1000;
  await send({
    type: "result",
    ...totals(result.rows),
    connected: watch.connected(),
    notConnected: watch.notConnected,
    disconnects: watch.disconnects,
    wallS,
    cpuPercent: ((ownCpuSeconds() - cpu0) / wallS) * 100,
  });
}

// ---- the parent: run a step, judge it ------------------------------------------------------------------

const live = new Set(); // workers running now: killed with their trees if this process exits first
process.on("exit", () => {
  for (const pid of live) killTree(pid);
});

function killTree(root) {
  for (const pid of treeOf(root, processTable()).reverse()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
}

function stepTimeoutMs(boards, durationS) {
  // starting, booting (~30 ms a board on either runtime), the run, simulate's two round trips per board
  return 20000 + durationS * 1000 + boards * 60;
}

/**
 * Forks the worker for one step; resolves with what it reported ({ type, ...fields } merged into info)
 * and what the sampler saw. giveUp(info) after the steady window: a reason ends the step there.
 */
function forkStep(spec, timeoutMs, giveUp) {
  return new Promise((resolve) => {
    const child = fork(THIS_FILE, ["--ramp-step", JSON.stringify(spec)], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
    live.add(child.pid);
    const info = {};
    const marks = {};
    const samples = [];
    let peak = 0;
    let stderr = "";
    const sample = () => {
      const s = sampleTree(child.pid);
      if (s.procs.size > 0) samples.push(s);
      if (marks.ready) peak = Math.max(peak, s.rssMB); // from the fleet's start: not a rebuild before it
      return s;
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    const stop = (why) => {
      info.stopped ??= why;
      killTree(child.pid);
    };
    const timer = setTimeout(() => stop("timed out"), timeoutMs);
    child.stderr.on("data", (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on("message", ({ type, ...fields }) => {
      marks[type] = sample();
      if (type === "ready") peak = marks.ready.rssMB;
      Object.assign(info, fields);
      if (type === "result") info.done = true;
      const reason = type === "window-end" ? giveUp(info) : undefined;
      if (reason) stop(`${reason} (stopped after the steady window)`);
    });
    child.on("exit", (code, signal) => {
      clearInterval(sampler);
      clearTimeout(timer);
      live.delete(child.pid);
      if (!info.done && !info.stopped) info.crashed = info.error ?? (stderr.trim().split("\n")[0] || `exit ${code ?? signal}`);
      resolve({ info, marks, peak, samples });
    });
  });
}

/** CPU % of one core over the samples, each process from its first to its last sample (misses what came after). */
function sampledCpu(samples) {
  if (samples.length < 2) return {};
  const first = new Map();
  const last = new Map();
  for (const s of samples) {
    for (const [pid, p] of s.procs) {
      if (!first.has(pid)) first.set(pid, p);
      last.set(pid, p);
    }
  }
  const seconds = (samples.at(-1).at - samples[0].at) / 1000;
  const byName = {};
  for (const [pid, p] of last) byName[p.comm] = (byName[p.comm] ?? 0) + ((p.ticks - first.get(pid).ticks) / CLK_TCK / seconds) * 100;
  return { byName, seconds };
}

/** Behind real time in the steady window (judged only when the window is long enough), or undefined. */
function behind({ windowS, rate, lagMs }, intervalMs) {
  if (!(windowS >= MIN_RATE_WINDOW_S)) return undefined;
  if (rate === undefined) return "boards silent in the steady window";
  if (Math.abs(rate - 1) > RATE_TOLERANCE) return `behind real time: ${rate.toFixed(2)} publish rounds per interval a board`;
  if (lagMs > intervalMs * MAX_LAG) return `behind real time: delivery drifted ${Math.round(lagMs)} ms`;
  return undefined;
}

/** The first reason a step is not clean, or undefined. */
function failure(step) {
  if (step.crashed) return `worker failed: ${step.crashed}`;
  if (step.notConnected > 0) return `${step.notConnected} boards not connected after 10 s`;
  const late = behind(step, step.intervalMs);
  if (late) return late;
  if (step.stopped) return step.stopped;
  if (step.silent > 0) return `${step.silent} boards gave no counts or no pong`;
  if (step.lost > 0) return `${step.lost} messages lost`;
  if (step.refused > 0) return `${step.refused} publishes refused`;
  if (step.errors > 0) return `${step.errors} board errors`;
  if (step.disconnects > 0) return `${step.disconnects} links lost`;
  if (step.published === 0) return "nothing published";
  return undefined;
}

const round = (x, digits = 1) => (x === undefined ? undefined : Number(x.toFixed(digits)));
const sumOf = (byName) => Object.values(byName).reduce((a, b) => a + b, 0);
const rounded = (byName) => Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, round(v)]));

/** One step: `boards` boards of `board` for durationS; the step record fleetRamp returns. */
export async function runStep({ runtime, board, boards, durationS, intervalMs = 1000 }) {
  const started = performance.now();
  const spec = { board, boards, durationS, intervalMs };
  const run = await forkStep(spec, stepTimeoutMs(boards, durationS), (info) => behind(info, intervalMs));
  const r = run.info;
  const [a, b] = [run.marks["window-start"], run.marks["window-end"]];
  const steady = a && b ? cpuBetween(a, b) : undefined;
  // Without the worker's own account (stopped, crashed) the sampler's is the best there is.
  const sampled = r.done ? undefined : sampledCpu(run.samples);
  const step = {
    runtime, board, boards, durationS, intervalMs,
    published: r.published, received: r.received, lost: r.lost, refused: r.refused, errors: r.errors,
    silent: r.silent, notConnected: r.notConnected, disconnects: r.disconnects,
    rate: round(r.rate, 3),
    lagMs: round(r.lagMs, 0),
    msgPerRound: MESSAGES_PER_ROUND,
    msgPerS: r.rate === undefined ? undefined : Math.round(r.rate * boards * (1000 / intervalMs) * MESSAGES_PER_ROUND),
    windowS: round(r.windowS, 2),
    bootS: round(r.bootS, 2),
    wallS: round(r.wallS ?? sampled?.seconds, 2),
    stepS: round((performance.now() - started) / 1000, 2),
    cpuPercent: round(r.cpuPercent ?? sumOf(sampled?.byName ?? {})),
    steadyCpuPercent: steady && round(sumOf(steady)),
    steadyCpu: steady && rounded(steady),
    othersCpuPercent: steady && round(othersBetween(a, b, steady)),
    rssMB: round(run.peak),
    baseRssMB: round(run.marks.ready?.rssMB),
    stopped: r.stopped,
    crashed: r.crashed,
  };
  step.why = failure(step);
  step.ok = step.why === undefined;
  return step;
}

// ---- the ramp ------------------------------------------------------------------------------------------

/** One runtime: grow until a step fails, then one step between the last clean size and the failed one. */
async function rampRuntime({ runtime, board, counts }, { durationS, intervalMs, refine, deadline, log }) {
  const steps = [];
  const runOne = async (boards) => {
    log(`${runtime}: ${boards} × ${board} for ${durationS} s …`);
    const step = await runStep({ runtime, board, boards, durationS, intervalMs });
    log(`${runtime}: ${boards} boards ${step.ok ? "clean" : `FAILED (${step.why})`}, ${step.cpuPercent} % CPU, ${step.rssMB} MB, ${step.stepS} s`);
    steps.push(step);
    return step;
  };
  let clean = 0;
  let failed;
  for (const boards of counts) {
    // a step costs about twice the previous one (boot is linear in boards): do not start what the budget cannot finish
    if (steps.length > 0 && performance.now() + steps.at(-1).stepS * 2000 > deadline) {
      log(`${runtime}: stopping before ${boards} boards: the time budget is spent`);
      break;
    }
    const step = await runOne(boards);
    if (!step.ok) {
      failed = boards;
      break;
    }
    clean = boards;
  }
  for (let i = 0; i < refine && failed !== undefined && failed - clean > 1; i++) {
    const mid = Math.round((clean + failed) / 2);
    if (performance.now() + steps.at(-1).stepS * 1000 > deadline) break;
    if ((await runOne(mid)).ok) clean = mid;
    else failed = mid;
  }
  return steps;
}

function maxima(steps, runtimes) {
  const max = {};
  for (const { runtime } of runtimes) {
    const mine = steps.filter((s) => s.runtime === runtime);
    const best = mine.filter((s) => s.ok).sort((a, b) => b.boards - a.boards)[0];
    const firstFailure = mine.filter((s) => !s.ok).sort((a, b) => a.boards - b.boards)[0];
    max[runtime] = {
      boards: best?.boards ?? 0,
      cpuPercent: best?.cpuPercent,
      steadyCpuPercent: best?.steadyCpuPercent,
      rssMB: best?.rssMB,
      failedAt: firstFailure && { boards: firstFailure.boards, why: firstFailure.why },
      // no failure seen: the ramp ended (budget, list of sizes) before the limit
      lowerBound: firstFailure === undefined,
    };
  }
  return max;
}

/**
 * Ramps each runtime (ESP8266 NodeMCU: 10, 25, 50, 100, 200… boards; ESP32 Espruino: 10, 50, 200, 800,
 * 1600…; or `counts` for both) publishing every intervalMs (the metrics app: four messages a round)
 * until a step is not clean, then `refine` steps between the last clean size and the failed one.
 * smoke: one 2-board step of 3 s per runtime, no ramp. budgetS bounds the whole ramp (a step is not
 * started that would end past it); runtimes picks some ("espruino", "nodemcu").
 * Returns { steps, max, wallS }, steps by runtime and size.
 */
export async function fleetRamp({ smoke = false, log = () => {}, durationS, intervalMs = 1000, counts, refine = 1, budgetS = 285, runtimes } = {}) {
  const chosen = RUNTIMES.filter((r) => runtimes === undefined || runtimes.includes(r.runtime));
  const { ensureBuilt } = await import("../sim/artifacts.js");
  await ensureBuilt(chosen.map((r) => r.board)); // not in the first step's boot time
  const options = {
    durationS: durationS ?? (smoke ? 3 : 5),
    intervalMs,
    refine: smoke ? 0 : refine,
    log,
  };
  const steps = [];
  const started = performance.now();
  for (const rt of chosen) {
    const ladder = smoke ? [2] : (counts ?? rt.counts);
    steps.push(...(await rampRuntime({ ...rt, counts: ladder }, { ...options, deadline: started + budgetS * 1000 * rt.share })));
  }
  const byRuntime = (a, b) => a.runtime.localeCompare(b.runtime);
  return { steps: steps.sort((a, b) => byRuntime(a, b) || a.boards - b.boards), max: maxima(steps, chosen.toSorted(byRuntime)), wallS: round((performance.now() - started) / 1000, 1) };
}

/** The steps as a text table. */
export function rampTable({ steps }) {
  const header = ["runtime", "boards", "published", "received", "lost", "refused", "errors", "rounds/s/board", "lag ms", "boot s", "wall s", "CPU %", "steady CPU %", "others %", "RSS MB", "result"];
  const fmt = (v) => (v === undefined || v === null ? "-" : String(v));
  const rows = steps.map((s) => [
    s.runtime, s.boards, s.published, s.received, s.lost, s.refused, s.errors, s.rate, s.lagMs, s.bootS, s.wallS, s.cpuPercent,
    s.steadyCpuPercent, s.othersCpuPercent, s.rssMB, s.ok ? "clean" : s.why,
  ].map(fmt));
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const last = header.length - 1;
  return all.map((r) => r.map((c, i) => (i === 0 || i === last ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd()).join("\n");
}

if (process.argv[1] === THIS_FILE && process.argv[2] === "--ramp-step") {
  runWorkerStep(JSON.parse(process.argv[3])).then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.send({ type: "error", error: String(error.message ?? error).split("\n").slice(0, 2).join(" ") }, () => process.exit(1));
    },
  );
}
