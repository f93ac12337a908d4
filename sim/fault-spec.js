// Faults a simulation scripts: `--fault <kind>@<seconds>[:<duration>][,key=value…]` flags or the
// "faults" list of a scenario file ({ kind, at, duration?, node?, boards?, ms?, bytesPerSec?, bytes? }),
// validated with errors naming the bad field. Times are seconds from the moment every board connected.
//
//   partition  the boards' links are cut and refused for `duration`         boards (default: all)
//   latency    `ms` (200) added each way for `duration`                      boards
//   bandwidth  `bytesPerSec` (2000) each way for `duration`                  boards
//   fragment   every write cut into `bytes` (1)-byte pieces for `duration`   boards
//   restart    the broker (every node, or `node`) stops, is down `duration` (0), starts again
//   kill       node `node` (0) is SIGKILLed, down `duration` (1), started again
//   ldm        node `node` (0) enters lame duck mode (nats-server --signal ldm); after `duration` (2)
//              it is stopped and started again (a rolling upgrade's step)
//   stall      the broker (every node, or `node`) is SIGSTOPped for `duration`, then SIGCONTinued
//   wifi       the boards' access point is gone for `duration`: the station loses its IP (disconnect
//              events), its sockets fail, connects find no route; then it rejoins     boards (default: all)
//   reset      the boards' reset pin is held for `duration` (0) and released: RAM and runtime state are
//              lost, the flashed app boots again (its files / Storage kept)           boards

export const FAULT_KINDS = {
  partition: { net: true, needsDuration: true },
  latency: { net: true, needsDuration: true, param: "ms", default: 200 },
  bandwidth: { net: true, needsDuration: true, param: "bytesPerSec", default: 2000 },
  fragment: { net: true, needsDuration: true, param: "bytes", default: 1 },
  restart: { broker: true, defaultDuration: 0 },
  kill: { broker: true, oneNode: true, defaultDuration: 1 },
  ldm: { broker: true, oneNode: true, defaultDuration: 2 },
  stall: { broker: true, needsDuration: true },
  wifi: { board: true, needsDuration: true },
  reset: { board: true, defaultDuration: 0 },
};
const FIELDS = ["kind", "at", "duration", "node", "boards", "ms", "bytesPerSec", "bytes"];

/** Board ids matching a pattern list ("*" matches any run of characters). */
export function matchBoards(patterns, ids) {
  const res = patterns.map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
  return ids.filter((id) => res.some((re) => re.test(id)));
}

/**
 * Problems of fault list entry `f` (named `at`, e.g. "faults[2]"), given the run: { durationS, nodes
 * (cluster size), embedded (false: an external --server), ids (board ids) }.
 */
export function faultProblems(f, at, { durationS, nodes = 1, embedded = true, ids = [] }) {
  if (f === null || typeof f !== "object" || Array.isArray(f)) return [`${at}: must be an object { kind, at, duration? }`];
  const problems = [];
  const kind = FAULT_KINDS[f.kind];
  // "faults[2].node: …" in a file, "--fault kill@1,node=5: node: …" for a flag
  const field = (k) => (at.startsWith("--") ? `${at}: ${k}` : `${at}.${k}`);
  for (const key of Object.keys(f)) if (!FIELDS.includes(key)) problems.push(`${field(key)}: is not a known field (known: ${FIELDS.join(", ")})`);
  if (kind === undefined) problems.push(`${field("kind")}: must be one of ${Object.keys(FAULT_KINDS).join(", ")}`);
  if (!(typeof f.at === "number" && f.at >= 0)) problems.push(`${field("at")}: is required, seconds (>= 0) from the start`);
  if (f.duration !== undefined && !(typeof f.duration === "number" && f.duration >= 0)) problems.push(`${field("duration")}: must be a number of seconds >= 0`);
  if (kind === undefined) return problems;
  if (kind.needsDuration && !(f.duration > 0)) problems.push(`${field("duration")}: is required for ${f.kind}, seconds > 0`);
  const duration = f.duration ?? kind.defaultDuration ?? 0;
  if (typeof f.at === "number" && durationS !== undefined && f.at + duration >= durationS) {
    problems.push(`${at}: ends at ${f.at + duration} s, not before the run ends (${durationS} s): lengthen the run or move the fault`);
  }
  if (kind.broker && !embedded) problems.push(`${field("kind")}: ${f.kind} needs the embedded broker (not --server)`);
  if (f.node !== undefined && !kind.broker) problems.push(`${field("node")}: only broker faults take a node`);
  if (f.node !== undefined && !(Number.isInteger(f.node) && f.node >= 0 && f.node < nodes)) problems.push(`${field("node")}: must be a node index from 0 to ${nodes - 1}`);
  if (f.boards !== undefined) {
    if (!kind.net && !kind.board) problems.push(`${field("boards")}: only network and board faults take boards`);
    else if (!Array.isArray(f.boards) || f.boards.length === 0 || !f.boards.every((b) => typeof b === "string")) problems.push(`${field("boards")}: must be a non-empty list of board ids (* matches any characters)`);
    else if (ids.length > 0 && matchBoards(f.boards, ids).length === 0) problems.push(`${field("boards")}: matches no board of the fleet`);
  }
  for (const p of ["ms", "bytesPerSec", "bytes"]) {
    if (f[p] === undefined) continue;
    if (kind.param !== p) problems.push(`${field(p)}: only ${Object.keys(FAULT_KINDS).find((k) => FAULT_KINDS[k].param === p)} takes ${p}`);
    else if (!(Number.isInteger(f[p]) && f[p] >= 1)) problems.push(`${field(p)}: must be an integer >= 1`);
  }
  return problems;
}

/** A `--fault` flag as a fault object (not yet validated: faultProblems does that). */
export function parseFaultFlag(text) {
  const m = /^([a-z]+)@([^:,]*)(?::([^,]*))?((?:,[^,]*)*)$/.exec(text);
  if (!m) throw new Error(`--fault ${text}: expected <kind>@<seconds>[:<duration>][,key=value…]`);
  const num = (v) => (/^\d+(\.\d+)?$/.test(v) ? Number(v) : v);
  const f = { kind: m[1], at: num(m[2]) };
  if (m[3] !== undefined) f.duration = num(m[3]);
  for (const pair of m[4].split(",").slice(1)) {
    const [key, value] = pair.split("=");
    if (value === undefined) throw new Error(`--fault ${text}: "${pair}" is not key=value`);
    f[key] = key === "boards" ? value.split("+") : num(value);
  }
  return f;
}

/** The faults with defaults filled in, in start order; throws naming every bad field. */
export function checkFaults(faults, run, names = (i) => `faults[${i}]`) {
  const problems = faults.flatMap((f, i) => faultProblems(f, names(i), run));
  if (problems.length > 0) throw new Error(`faults are invalid:\n  ${problems.join("\n  ")}`);
  return faults
    .map((f) => {
      const kind = FAULT_KINDS[f.kind];
      const full = { ...f, duration: f.duration ?? kind.defaultDuration ?? 0 };
      if (kind.param !== undefined) full[kind.param] = f[kind.param] ?? kind.default;
      if (kind.oneNode) full.node = f.node ?? 0;
      return full;
    })
    .sort((a, b) => a.at - b.at);
}
