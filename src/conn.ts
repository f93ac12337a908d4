// The connection state machine. Adapter events (open, data, written, closed, tick) and API calls in;
// encoded ops out through the writer (out.ts); status events out. One state variable, set by start()
// and from then on changed only by go(), which does the emits, counters and deadlines of the change.
//
//   Wait ──tick──▶ Info ──INFO: CONNECT+PING──▶ Pong ──PONG──▶ Ready ──drain()──▶ Draining
//    ▲               │ failure, -ERR, timeout                    │ lost, -ERR, stale, lame duck
//    └── closed ── Dropping ◀─────────┘          Lost ◀──────────┘ ── closed ──▶ Wait (at once)
//   close(), no server left, reconnect off ──▶ Closing (queued ops written, socket closed) ──▶ Closed
//
// Only a PONG makes a link ready (nats-protocol.md §10.1); a lost link is retried at once, a failed
// attempt after a wait that doubles per pass over the pool, plus jitter (§9, ADR-40).
import * as writer from "./out";
//#if FULL
import { C, counters } from "./out";
//#endif
import * as pool from "./pool";
import * as report from "./status";
import * as io from "./io";
import * as util from "./util";
import { Board } from "./board";
//#if FULL
import * as info from "./info";
//#endif
//#if SUBS
import * as subs from "./subs";
//#endif
//#if FULL
import * as requests from "./requests";
//#endif

export const enum St {
  /** No socket; the next attempt is due at since. */
  Wait,
  /** Socket opening or open, INFO awaited. */
  Info,
  /** CONNECT and PING written, PONG awaited. */
  Pong,
  Ready,
  Draining,
  /** Socket being closed after a ready link failed (-ERR, stale, lame duck); then Wait at once. */
  Lost,
  /** Socket being closed after a failed attempt; then Wait (or Closed). */
  Dropping,
  /** close(): what is queued is written, then the socket closes. */
  Closing,
  Closed,
}
// The order makes the groups ranges: a link whose input matters Info..Draining, ready Ready..Draining,
// was ready Ready..Lost, a socket being closed Lost..Closing, closed Closing..Closed.


/** The application's options object (README: options and their defaults). */
let opts: Record<string, unknown> = {};
let st = St.Closed;
let everReady = false;
/** Bumped per socket: the parser drops input of a link that is gone (linkId()). */
let link = 0;
let now = 0;
/** When the current state began (handshake and closing deadlines); in Wait, when the next attempt is due. */
let since = 0;
let lastPingAt = 0;
let pingsOut = 0;
/** Failed attempts since the last ready link. */
let failed = 0;
/** Why the current link failed: the detail of "close" ("" = closed by the application). */
let failure = "";
//#if FULL
/** Whether HPUB is allowed: unknown before the first INFO (allowed); then what the server said (§4). */
export let serverHeaders = true;
/** drain()'s callback, called when the client has closed. */
let drainCb: requests.DoneCallback | undefined = undefined;
//#endif

/** A number option (floored), or its default when absent, not a number or negative. */
function num(name: string, dflt: number): number {
  const v = opts[name];
  return Math.floor(typeof v === "number" && v >= 0 ? v : dflt);
}

function flag(name: string, dflt: boolean): boolean {
  const v = opts[name];
  return typeof v === "boolean" ? v : dflt;
}

/**
 * The state, then whatever belongs to entering it; reason: the adapter's error text of a lost socket, the
 * detail of "disconnect" when a ready link ends (in Wait or Closed).
 */
function go(next: St, reason?: string): void {
  const was = st;
  st = next;
  since = now;
  if (next >= St.Closing) {
    // a closed connection takes no publish
    writer.shutOut();
  }
  //#if SUBS
  subs.refuseSubscribe(next === St.Draining ? "draining" : next >= St.Closing ? "closed" : "");
  //#endif
  if (next === St.Ready) {
    writer.setFlow(writer.Flow.All);
    lastPingAt = now;
    pingsOut = 0;
    failed = 0;
    // the server connected: its count of failures and its auth error start again
    pool.fails[pool.current] = 0;
    pool.authErrors[pool.current] = "";
    //#if SUBS
    subs.resubscribe();
    //#endif
    //#if FULL
    pool.serverConnected();
    if (everReady) {
      counters[C.Reconnects]++;
    }
    //#endif
    const event = everReady ? "reconnect" : "connect";
    everReady = true;
    // the emit comes last: a status callback that raises leaves the state whole
    report.emit(event, pool.currentUrl());
  } else if (next === St.Closed) {
    io.ioStop();
    //#if FULL
    requests.endRequests(0, "closed");
    //#endif
  }
  // The emits come after the state's effects: a status callback that raises, or calls close() or
  // connect(), finds the state whole; one that moved it on (its own go()) has done the rest.
  if (was > St.Pong && was < St.Dropping && next % St.Closed === 0) {
    report.emit("disconnect", reason);
    if (st !== next) {
      return;
    }
  }
  if (next === St.Closed) {
    //#if FULL
    const cb = drainCb;
    drainCb = undefined;
    if (cb !== undefined) {
      // a link lost while draining closes the client too
      cb(was === St.Draining ? "disconnected" : undefined);
    }
    //#endif
    report.emit("close", failure === "" ? undefined : failure);
  }
}

/** The current link while its input matters (handshake, ready, draining), else -1. */
export function linkId(): number {
  return st > St.Wait && st < St.Lost ? link : -1;
}

/** The longest control line the parser accepts (the board's). */
export function lineLimit(): number {
  return Board.MaxControlLineBytes;
}

/** The largest payload either way: the board's (or the maxPayload option), or less when the server says so. */
export { payloadLimit } from "./out";

export function isReady(): boolean {
  return st === St.Ready || st === St.Draining;
}

export function isClosed(): boolean {
  return st >= St.Closing;
}

/** Close the socket of the current link; the adapter's Closed event follows (closed()). */
function drop(): void {
  // Nothing more is written to a socket being closed (Espruino throws on it, espruino.md §4).
  writer.cutLink();
  if (st !== St.Closing) {
    go(isReady() ? St.Lost : St.Dropping);
  }
  io.ioClose();
}

/** End the current link: report code, then close the socket. */
export function fail(code: string): void {
  failure = code;
  report.error(code);
  drop();
}

/**
 * Start the next write; a closing link whose queue is empty is closed now (the writer calls this when
 * the last write of a closing link has gone).
 */
export function writeOut(): void {
  // (the flow is Last only while a closing link is open)
  if (!writer.pump() && writer.flow === writer.Flow.Last) {
    drop();
  }
}

/**
 * The socket closed, by either side; reason is the adapter's error text, if any. A failed attempt is
 * retried after a wait: none during the first pass over the pool, then reconnectWait doubling per pass
 * up to maxReconnectWait, plus jitter (nats-protocol.md §9, ADR-40); a lost ready link at once.
 */
export function closed(reason: string | undefined): void {
  // Wait and Closed (0 and 8) have no socket
  if (st % St.Closed === 0) {
    return;
  }
  const wasReady = st > St.Pong && st < St.Dropping;
  writer.cutLink();
  //#if SUBS
  subs.setOffline();
  //#endif
  //#if FULL
  requests.pong("disconnected");
  //#endif
  let next = St.Closed;
  let wait = 0;
  if (st !== St.Closing) {
    if (!wasReady) {
      if (failure === "") {
        // refused, reset or closed before the handshake ended: a failed attempt, not a disconnect
        failure = reason ?? "connection_closed";
        report.error(failure);
      }
      // a failed attempt on this server: it is given up after maxReconnectAttempts (-1: never)
      const max = num("maxReconnectAttempts", -1);
      const f = pool.fails;
      const c = pool.current;
      if (f[c] >= 0) {
        f[c] = max >= 0 && f[c] >= max ? -1 : f[c] + 1;
      }
    }
    const n = pool.usable();
    if (st !== St.Draining && flag("reconnect", true) && n > 0) {
      next = St.Wait;
      failed = wasReady ? 0 : failed + 1;
      if (failed >= n) {
        wait = num("reconnectWait", 500);
        const max = num("maxReconnectWait", 30000);
        for (let pass = Math.floor(failed / n); pass > 1 && wait < max; pass--) {
          wait = wait * 2;
        }
        wait = (wait < max ? wait : max) + util.random(num("reconnectJitter", 250) + 1);
      }
    }
  }
  // a ready link that ended reports "disconnect" (go); in Wait, since is when the next attempt is due
  go(next, reason);
  since = now + wait;
}

/** close(): what is queued is still written, then the socket closes; "close" follows. */
export function close(this: void): void {
  if (st >= St.Closing) {
    return;
  }
  failure = "";
  //#if FULL
  requests.endRequests(0, "closed");
  //#endif
  const was = st;
  // the socket open: the flow is not None
  const flush = isReady() && writer.flow !== writer.Flow.None;
  go(was === St.Wait ? St.Closed : St.Closing);
  if (flush) {
    writer.setFlow(writer.Flow.Last);
    writeOut();
  } else if (was > St.Wait && was < St.Lost) {
    // (Lost and Dropping: the socket is being closed already)
    drop();
  }
}

/** The first tick starts connecting (since 0); ticks time the handshake, keepalive, back-off and closing. */
export function tick(t: number): void {
  now = t;
  //#if FULL
  requests.endRequests(t, "timeout");
  //#endif
  const late = t - since >= num("timeout", 5000);
  const interval = num("pingInterval", 30000);
  if (st === St.Wait) {
    if (t >= since) {
      failure = "";
      link++;
      // openNext() opens the socket: the state must say Info before any event of it arrives.
      go(St.Info);
      // (none only when none was usable from the start: closed() closes when the last is given up)
      if (pool.openNext() === "") {
        failure = "bad_url";
        report.error(failure);
        go(St.Closed);
      }
    }
  } else if (st < St.Ready) {
    if (late) {
      fail("timeout");
    }
  } else if (st > St.Draining) {
    if (late && st < St.Closed) {
      // the socket did not close in time: give it up
      io.ioClose();
      closed(undefined);
    }
  } else if (interval > 0 && t - lastPingAt >= interval) {
    if (pingsOut >= num("maxPingsOut", 2)) {
      fail("stale_connection");
      return;
    }
    lastPingAt = t;
    pingsOut++;
    //#if FULL
    // Behind what is queued, as flush's are; a queue so full that not even a PING fits counts as a
    // PING out all the same: a link that stays so stuck is stale.
    requests.ping(undefined, false);
    //#endif
    //#if !FULL
    writer.addControl("PING\r\n");
    writeOut();
    //#endif
  }
}

export function opened(): void {
  if (st === St.Info || st === St.Pong) {
    writer.setFlow(writer.Flow.Control);
    writeOut();
  }
}

function field(name: string, v: unknown): string {
  return typeof v === "string" ? ",\"" + name + "\":" + util.jsonString(v) : "";
}

export function onInfo(json: string): void {
  //#if FULL
  serverHeaders = info.infoTrue(json, "headers");
  const server = info.infoNumber(json, "max_payload");
  const limit = num("maxPayload", Board.MaxPayloadBytes);
  writer.setPayloadMax(server > 0 && server < limit ? server : limit);
  // New servers are shuffled in, so the boards of a failed node spread over the survivors (§10.16).
  const announced = info.infoUrls(json, num("maxServers", Board.MaxServers));
  if (!flag("ignoreDiscovered", false) && pool.mergeDiscovered(announced, announced.length) && !flag("noRandomize", false)) {
    pool.shuffleServers();
  }
  if (isReady() && info.infoTrue(json, "ldm")) {
    // Lame duck mode: move to another server before this one closes us (ADR-5, nats-protocol.md §8).
    pool.serverLame();
    report.emit("ldm", pool.currentUrl());
    drop();
    return;
  }
  //#endif
  if (st !== St.Info) {
    return;
  }
  if (json.indexOf("\"tls_required\":true") >= 0) {
    fail("tls_required");
    return;
  }
  //#if FULL
  const headers = String(serverHeaders);
  //#endif
  // the current URL's credentials (parsed when it was opened) win over the options' user and pass
  const fromUrl = pool.user !== undefined;
  writer.addControl(
    // protocol 1 (async INFO: connect_urls, lame duck) only where full reads it; pub and pubsub take
    // nats-server's default 0, which sends no INFO after the first (nats-protocol.md §3, §8)
    "CONNECT {\"verbose\":false,\"pedantic\":false," +
      //#if FULL
      "\"protocol\":1," +
      //#endif
      "\"lang\":\"" + io.LANG + "\",\"version\":\"0.2.0\"" +
      field("name", opts.name) +
      //#if SUBS
      (flag("echo", true) ? "" : ",\"echo\":false") +
      //#endif
      //#if FULL
      ",\"headers\":" + headers + ",\"no_responders\":" + headers +
      //#endif
      field("user", fromUrl ? pool.user : opts.user) +
      field("pass", fromUrl ? pool.pass : opts.pass) +
      field("auth_token", opts.token) +
      "}\r\nPING\r\n",
  );
  go(St.Pong);
  writeOut();
}

export function onPing(): void {
  writer.addControl("PONG\r\n");
  writeOut();
}

export function onPong(): void {
  pingsOut = 0;
  if (st === St.Pong) {
    // a PONG before the socket opened cannot answer our PING (it is written after Open): ignored
    if (writer.flow !== writer.Flow.None) {
      go(St.Ready);
      writeOut();
    }
    return;
  }
  //#if FULL
  requests.pong(undefined);
  //#endif
}

/** -ERR: texts that keep the connection only notify (nats-protocol.md §6, §9); the others end the link. */
export function onErr(text: string): void {
  const t = text.toLowerCase();
  if (t.indexOf("authori") >= 0 || t.indexOf("authenti") >= 0) {
    // the same auth error twice in a row from one server: it is given up (§10.8)
    const c = pool.current;
    if (pool.authErrors[c] === t) {
      pool.fails[c] = -1;
    }
    pool.authErrors[c] = t;
  }
  report.error(text);
  const keep = t.indexOf("permissions") >= 0 || t.indexOf("invalid") >= 0 || t.indexOf("maximum sub") >= 0 || t.indexOf("account reg") >= 0;
  if (!keep || st < St.Ready) {
    failure = text;
    drop();
  }
}

//#if SUBS
/** A message over the payload limit was skipped, never buffered. */
export function onSkipped(_subject: string, _sid: number, _bytes: number): void {
  //#if FULL
  counters[C.Skipped]++;
  //#endif
  report.emit("error", "payload_too_large");
}
//#endif

//#if FULL
/** stats(): one object, refreshed on each call (README). */
export function stats(this: unknown): Record<string, number> {
  return {
    inMsgs: subs.inMsgs,
    inBytes: subs.inBytes,
    outMsgs: counters[C.OutMsgs],
    outBytes: counters[C.OutBytes],
    reconnects: counters[C.Reconnects],
    dropped: counters[C.Dropped],
    skipped: counters[C.Skipped],
    unconfirmed: writer.unconfirmedMsgs(),
    pendingBytes: writer.pendingBytes(),
    servers: pool.serverCount(),
  };
}
//#endif

/** connect(opts): the one connection of this board, connecting in the background from the next tick. */
export function start(o: unknown, seed: number): void {
  opts = typeof o === "object" && o !== undefined ? (o as Record<string, unknown>) : {};
  util.seedRandom(num("seed", seed));
  st = St.Wait;
  everReady = false;
  failed = 0;
  since = 0;
  writer.resetOut(num("outBuffer", Board.OutBufferBytes), num("maxPayload", Board.MaxPayloadBytes));
  // one URL or a list (without a string in it: no usable URL)
  const s = opts.servers;
  pool.resetPool((s === undefined ? ["nats://127.0.0.1:4222"] : typeof s === "object" ? s : [s]) as unknown[], num("maxServers", Board.MaxServers), !flag("noRandomize", false));
  //#if SUBS
  subs.resetSubs(num("maxSubs", Board.MaxSubs));
  //#endif
  //#if FULL
  requests.resetRequests(num("maxRequests", Board.MaxRequests));
  serverHeaders = true;
  for (let i = 0; i < counters.length; i++) {
    counters[i] = 0;
  }
  //#endif
}

/** "connecting", "connected", "reconnecting", "draining" or "closed". */
export function status(this: unknown): string {
  return st === St.Ready ? "connected"
    : st === St.Draining ? "draining"
    : st >= St.Closing ? "closed"
    : everReady ? "reconnecting" : "connecting";
}

//#if FULL
/** flush(cb): PING; cb(undefined) when its PONG arrives, cb(err) when the link is lost first. */
export function flush(this: unknown, cb: requests.DoneCallback): void {
  if (typeof cb !== "function") {
    return;
  }
  const e = isReady() ? requests.ping(cb, false) : isClosed() ? "closed" : "disconnected";
  if (e !== "") {
    cb(e);
  }
}

/** Drain's PONG: everything before it has been processed, the client closes. */
function drained(err: string | undefined): void {
  if (err === undefined) {
    close();
  }
}

/**
 * drain(cb): unsubscribe everything, deliver what is on its way, then close; cb once at the end.
 * The UNSUBs and the PING go out together: the PONG means the server has processed them all.
 */
export function drain(this: unknown, cb: requests.DoneCallback): void {
  if (typeof cb !== "function") {
    return;
  }
  if (st !== St.Ready) {
    cb(isClosed() ? "closed" : st === St.Draining ? "draining" : "disconnected");
    return;
  }
  drainCb = cb;
  go(St.Draining);
  subs.unsubscribeAll();
  requests.ping(drained, true);
}
//#endif
