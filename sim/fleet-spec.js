// The fleet a simulation boots: from `--board <name>[:count]` flags or a fleet file
// ({ boards: [{ board, count, app?, intervalMs?, profile?, payloadBytes?, options? }], durationS?, seed? }),
// validated with errors that name the bad field, expanded to one entry per board with a distinct id.
// payloadBytes: each metrics payload padded to that size (at most the board's maxPayloadBytes); options:
// client options passed to connect (servers and name are the simulator's), both into the app's config.
import { readFileSync } from "node:fs";
import { loadBoards } from "../tools/boards.js";
import { APP_PROFILES, PROFILE_NAMES } from "../tools/build/profiles.js";
import { instanceIds } from "./fleet.js";

/** Apps a fleet board can run: the peer counts what they publish and stops them (cmd.<id>.stop). */
export const FLEET_APPS = ["metrics"];
const PROFILE_RANK = Object.fromEntries(PROFILE_NAMES.map((p, i) => [p, i]));
const ENTRY_FIELDS = ["board", "count", "app", "intervalMs", "profile", "payloadBytes", "options"];
const FILE_FIELDS = ["boards", "durationS", "seed", "$comment"];
/** Client options a fleet entry may set (firmware/apps/nats-api.d.ts NatsConnectOptions) and what each takes. */
const CLIENT_OPTIONS = {
  user: "string", pass: "string", token: "string", echo: "boolean", reconnect: "boolean", noRandomize: "boolean", ignoreDiscovered: "boolean",
  pingInterval: "ms", maxPingsOut: "count", timeout: "ms", reconnectWait: "ms", reconnectJitter: "ms", maxReconnectWait: "ms",
  maxReconnectAttempts: "attempts", maxPayload: "bytes", outBuffer: "bytes", maxSubs: "count", maxServers: "count", maxRequests: "count", seed: "integer",
};
const OWN_OPTIONS = ["servers", "name"];

/** Problems of a fleet entry's client options, named "<at>.options.<key>". */
function optionProblems(options, at) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) return [`${at}.options: must be an object of client options`];
  const problems = [];
  for (const [key, v] of Object.entries(options)) {
    const field = `${at}.options.${key}`;
    const kind = CLIENT_OPTIONS[key];
    if (OWN_OPTIONS.includes(key)) problems.push(`${field}: is set by the simulator (each board's own server list and name)`);
    else if (kind === undefined) problems.push(`${field}: is not a client option (known: ${Object.keys(CLIENT_OPTIONS).join(", ")})`);
    else if (kind === "string" || kind === "boolean") {
      if (typeof v !== kind) problems.push(`${field}: must be a ${kind}`);
    } else if (kind === "attempts") {
      if (!(isInt(v) && v >= -1)) problems.push(`${field}: must be an integer >= -1 (-1: forever)`);
    } else if (kind === "integer") {
      if (!(isInt(v) && v >= 0)) problems.push(`${field}: must be an integer >= 0`);
    } else if (!(isInt(v) && v >= (kind === "ms" ? 0 : 1))) problems.push(`${field}: must be an integer >= ${kind === "ms" ? 0 : 1} (${kind})`);
  }
  return problems;
}

const isInt = (v) => Number.isInteger(v);

/** Problems of a fleet document, each "<field path>: <what is wrong>"; [] when it is valid. */
export function validateFleet(doc, catalogue = loadBoards()) {
  const problems = [];
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return ["fleet: must be a JSON object"];
  for (const key of Object.keys(doc)) if (!FILE_FIELDS.includes(key)) problems.push(`${key}: is not a known field (known: ${FILE_FIELDS.slice(0, 3).join(", ")})`);
  if (doc.durationS !== undefined && !(typeof doc.durationS === "number" && doc.durationS > 0)) problems.push("durationS: must be a positive number of seconds");
  if (doc.seed !== undefined && !(isInt(doc.seed) && doc.seed >= 0)) problems.push("seed: must be a non-negative integer");
  if (!Array.isArray(doc.boards) || doc.boards.length === 0) {
    problems.push("boards: must be a non-empty list of { board, count }");
    return problems;
  }
  doc.boards.forEach((e, i) => {
    const at = `boards[${i}]`;
    if (e === null || typeof e !== "object" || Array.isArray(e)) {
      problems.push(`${at}: must be an object { board, count }`);
      return;
    }
    for (const key of Object.keys(e)) if (!ENTRY_FIELDS.includes(key)) problems.push(`${at}.${key}: is not a known field (known: ${ENTRY_FIELDS.join(", ")})`);
    if (typeof e.board !== "string") problems.push(`${at}.board: is required, a board name from boards.json`);
    else if (!(e.board in catalogue)) problems.push(`${at}.board: unknown board "${e.board}"; boards.json has: ${Object.keys(catalogue).join(", ")}`);
    if (e.count !== undefined && !(isInt(e.count) && e.count >= 1)) problems.push(`${at}.count: must be an integer >= 1`);
    if (e.app !== undefined && !FLEET_APPS.includes(e.app)) problems.push(`${at}.app: must be one of ${FLEET_APPS.map((a) => `"${a}"`).join(", ")}`);
    if (e.intervalMs !== undefined && !(isInt(e.intervalMs) && e.intervalMs >= 10)) problems.push(`${at}.intervalMs: must be an integer >= 10 (ms)`);
    if (e.profile !== undefined) {
      const need = APP_PROFILES[e.app ?? "metrics"];
      if (!PROFILE_NAMES.includes(e.profile)) problems.push(`${at}.profile: must be one of ${PROFILE_NAMES.map((p) => `"${p}"`).join(", ")}`);
      else if (PROFILE_RANK[e.profile] < PROFILE_RANK[need]) problems.push(`${at}.profile: "${e.profile}" lacks what the ${e.app ?? "metrics"} app needs; at least "${need}"`);
    }
    if (e.payloadBytes !== undefined) {
      const max = catalogue[e.board]?.client.maxPayloadBytes;
      if (!(isInt(e.payloadBytes) && e.payloadBytes >= 1)) problems.push(`${at}.payloadBytes: must be an integer >= 1`);
      else if (max !== undefined && e.payloadBytes > max) problems.push(`${at}.payloadBytes: ${e.payloadBytes} is over ${e.board}'s maxPayloadBytes (${max})`);
    }
    if (e.options !== undefined) problems.push(...optionProblems(e.options, at));
  });
  return problems;
}

function invalid(where, problems) {
  return new Error(`${where} is invalid:\n  ${problems.join("\n  ")}`);
}

/** `--board` values: "name" or "name:count". */
export function parseBoardFlags(values, catalogue = loadBoards()) {
  const doc = {
    boards: values.map((v) => {
      const m = /^([^:]+)(?::(.*))?$/.exec(v);
      const count = m[2] === undefined ? 1 : /^\d+$/.test(m[2]) ? Number(m[2]) : m[2];
      return { board: m[1], count };
    }),
  };
  const problems = validateFleet(doc, catalogue).map((p) => p.replace(/^boards\[(\d+)\]\.(\w+)/, (_, i, f) => `--board ${values[i]}: ${f}`));
  if (problems.length > 0) throw invalid("--board", problems);
  return doc;
}

/** Reads and validates a fleet file. */
export function loadFleetFile(file, catalogue = loadBoards()) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: ${e.message}`, { cause: e });
  }
  const problems = validateFleet(doc, catalogue);
  if (problems.length > 0) throw invalid(file, problems);
  return doc;
}

/** The default fleet: every board of boards.json once (both runtimes). */
export function defaultFleet(catalogue = loadBoards()) {
  return { boards: Object.keys(catalogue).map((board) => ({ board, count: 1 })) };
}

/** One entry per board: { name, id, app, profile?, intervalMs, payloadBytes?, options? }, ids distinct (name, name-2, …). */
export function expandFleet(doc, { intervalMs = 1000 } = {}) {
  const entries = doc.boards.flatMap((e) => Array.from({ length: e.count ?? 1 }, () => e));
  const ids = instanceIds(entries.map((e) => e.board));
  return entries.map((e, i) => ({
    name: e.board,
    id: ids[i],
    app: e.app ?? "metrics",
    profile: e.profile,
    intervalMs: e.intervalMs ?? intervalMs,
    ...(e.payloadBytes !== undefined ? { payloadBytes: e.payloadBytes } : {}),
    ...(e.options !== undefined ? { options: { ...e.options } } : {}),
  }));
}
