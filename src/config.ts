// connect() options and their defaults; buffer and table sizes default to the board's (board.ts, from
// boards.json). Every limit the client enforces is resolved here, once.
import {
  BOARD_MAX_CONTROL_LINE_BYTES,
  BOARD_MAX_PAYLOAD_BYTES,
  BOARD_MAX_REQUESTS,
  BOARD_MAX_SERVERS,
  BOARD_MAX_SUBS,
  BOARD_OUT_BUFFER_BYTES,
  BOARD_SEND_CHUNK_BYTES,
} from "./board";

export const VERSION = "0.1.0";

/**
 * Client PING every 30 s (nats.go: 2 min): a board on Wi-Fi loses links silently, and with 2 PINGs
 * allowed out a dead link is found within 90 s instead of 6 min (nats-protocol.md §11.7).
 */
export const DEFAULT_PING_INTERVAL_MS = 30000;
export const DEFAULT_MAX_PINGS_OUT = 2;
/** Connect + handshake deadline (ADR-40: 5 s; nats-protocol.md §9). */
export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_URL = "nats://127.0.0.1:4222";
/** Slots of the out-queue before its pieces are joined (outqueue.ts). */
export const OUT_QUEUE_SLOTS = 32;
/**
 * Reconnect: the first pass over the servers is immediate, then the wait doubles from 500 ms up to 30 s,
 * plus up to 250 ms of jitter. A board on flaky Wi-Fi gets back fast after a blip, a fleet does not
 * reconnect in lockstep, and a board whose server is gone for hours retries only twice a minute.
 */
export const DEFAULT_RECONNECT_WAIT_MS = 500;
export const DEFAULT_MAX_RECONNECT_WAIT_MS = 30000;
export const DEFAULT_RECONNECT_JITTER_MS = 250;
/** An always-on device keeps trying (-1 = forever; nats.go gives up after 60 per server). */
export const DEFAULT_MAX_RECONNECT_ATTEMPTS = -1;

/** What an application passes to connect(); every field is optional. */
export interface ConnectOptions {
  /** One URL or a list: nats://[user:pass@]host[:port]. */
  servers?: string | string[];
  name?: string;
  user?: string;
  pass?: string;
  token?: string;
  /** false: the server does not deliver our own publishes back to our subscriptions. */
  echo?: boolean;
  /** Client PING interval in ms; 0 disables client PINGs. */
  pingInterval?: number;
  maxPingsOut?: number;
  /** Connect and handshake timeout in ms. */
  timeout?: number;
  /** Largest payload accepted in either direction (also capped by the server's max_payload). */
  maxPayload?: number;
  /** Bytes the out-queue may hold. */
  outBuffer?: number;
  maxSubs?: number;
  maxServers?: number;
  /** Pending requests at once. */
  maxRequests?: number;
  /** Reconnect after a lost or failed connection (default true). */
  reconnect?: boolean;
  reconnectWait?: number;
  reconnectJitter?: number;
  maxReconnectWait?: number;
  /** Failed attempts per server before it is dropped; -1 = never. */
  maxReconnectAttempts?: number;
  /** Keep the servers in the given order instead of shuffling them. */
  noRandomize?: boolean;
  /** Do not add the servers a cluster announces in INFO connect_urls. */
  ignoreDiscovered?: boolean;
  /** Seed of the client's random choices (jitter, shuffling, inbox name); default from the runtime. */
  seed?: number;
}

export class ClientConfig {
  serverUrls: string[] = [];
  serverCount = 0;
  name: string | undefined = undefined;
  user: string | undefined = undefined;
  pass: string | undefined = undefined;
  token: string | undefined = undefined;
  echo = true;
  pingIntervalMs = DEFAULT_PING_INTERVAL_MS;
  maxPingsOut = DEFAULT_MAX_PINGS_OUT;
  timeoutMs = DEFAULT_TIMEOUT_MS;
  maxControlLineBytes = BOARD_MAX_CONTROL_LINE_BYTES;
  maxPayloadBytes = BOARD_MAX_PAYLOAD_BYTES;
  outBufferBytes = BOARD_OUT_BUFFER_BYTES;
  outBufferParts = OUT_QUEUE_SLOTS;
  maxSubs = BOARD_MAX_SUBS;
  maxServers = BOARD_MAX_SERVERS;
  maxRequests = BOARD_MAX_REQUESTS;
  reconnect = true;
  reconnectWaitMs = DEFAULT_RECONNECT_WAIT_MS;
  reconnectJitterMs = DEFAULT_RECONNECT_JITTER_MS;
  maxReconnectWaitMs = DEFAULT_MAX_RECONNECT_WAIT_MS;
  maxReconnectAttempts = DEFAULT_MAX_RECONNECT_ATTEMPTS;
  noRandomize = false;
  ignoreDiscovered = false;
  seed = 1;
  sendChunkBytes = BOARD_SEND_CHUNK_BYTES;
  lang: string;
  version = VERSION;

  constructor(lang: string) {
    this.lang = lang;
  }
}

function positive(v: number | undefined, fallback: number): number {
  return v !== undefined && v > 0 ? Math.floor(v) : fallback;
}

function nonNegative(v: number | undefined, fallback: number): number {
  return v !== undefined && v >= 0 ? Math.floor(v) : fallback;
}

/**
 * Options resolved against the defaults; lang names the runtime in CONNECT ("nats-mcu-js" /
 * "nats-mcu-lua"), seed is the runtime's random seed (used unless the options give one).
 */
export function resolveConfig(o: ConnectOptions | undefined, lang: string, seed: number): ClientConfig {
  const c = new ClientConfig(lang);
  c.seed = seed;
  if (o === undefined) {
    c.serverUrls.push(DEFAULT_URL);
    c.serverCount = 1;
    return c;
  }
  c.maxServers = positive(o.maxServers, c.maxServers);
  const servers = o.servers;
  if (servers === undefined) {
    c.serverUrls.push(DEFAULT_URL);
  } else if (typeof servers === "string") {
    c.serverUrls.push(servers);
  } else {
    for (let i = 0; i < servers.length && i < c.maxServers; i++) {
      c.serverUrls.push(servers[i]);
    }
  }
  c.serverCount = c.serverUrls.length;
  c.name = o.name;
  c.user = o.user;
  c.pass = o.pass;
  c.token = o.token;
  c.echo = o.echo !== false;
  c.pingIntervalMs = nonNegative(o.pingInterval, c.pingIntervalMs);
  c.maxPingsOut = positive(o.maxPingsOut, c.maxPingsOut);
  c.timeoutMs = positive(o.timeout, c.timeoutMs);
  c.maxPayloadBytes = positive(o.maxPayload, c.maxPayloadBytes);
  c.outBufferBytes = positive(o.outBuffer, c.outBufferBytes);
  c.maxSubs = positive(o.maxSubs, c.maxSubs);
  c.maxRequests = nonNegative(o.maxRequests, c.maxRequests);
  c.reconnect = o.reconnect !== false;
  c.reconnectWaitMs = nonNegative(o.reconnectWait, c.reconnectWaitMs);
  c.reconnectJitterMs = nonNegative(o.reconnectJitter, c.reconnectJitterMs);
  c.maxReconnectWaitMs = nonNegative(o.maxReconnectWait, c.maxReconnectWaitMs);
  c.maxReconnectAttempts =
    o.maxReconnectAttempts !== undefined && o.maxReconnectAttempts >= -1 ? Math.floor(o.maxReconnectAttempts) : c.maxReconnectAttempts;
  c.noRandomize = o.noRandomize === true;
  c.ignoreDiscovered = o.ignoreDiscovered === true;
  c.seed = o.seed !== undefined ? o.seed : seed;
  return c;
}
