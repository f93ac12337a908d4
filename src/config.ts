// connect() options and their defaults; buffer and table sizes default to the board's (board.ts, from
// boards.json). Every limit the client enforces is resolved here, once.
import {
  BOARD_MAX_CONTROL_LINE_BYTES,
  BOARD_MAX_PAYLOAD_BYTES,
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

/** Options resolved against the defaults; lang names the runtime in CONNECT ("nats-mcu-js" / "nats-mcu-lua"). */
export function resolveConfig(o: ConnectOptions | undefined, lang: string): ClientConfig {
  const c = new ClientConfig(lang);
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
  c.pingIntervalMs = o.pingInterval !== undefined && o.pingInterval >= 0 ? Math.floor(o.pingInterval) : c.pingIntervalMs;
  c.maxPingsOut = positive(o.maxPingsOut, c.maxPingsOut);
  c.timeoutMs = positive(o.timeout, c.timeoutMs);
  c.maxPayloadBytes = positive(o.maxPayload, c.maxPayloadBytes);
  c.outBufferBytes = positive(o.outBuffer, c.outBufferBytes);
  c.maxSubs = positive(o.maxSubs, c.maxSubs);
  return c;
}
