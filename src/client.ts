// The client state machine: adapter events (open, data, written, closed, tick) and API calls in;
// encoded ops out through the bounded queues, one write in flight; status, messages and replies out.
//
// Lifecycle: connecting → (INFO → CONNECT+PING → PONG) → connected ⇄ reconnecting → closed, with
// draining before closed after drain(). Only a PONG makes a link "connected" (nats-protocol.md §10.1).
// A lost or failed link is retried (reconnect.ts) unless reconnect is off or close() was called.
import { ClientConfig } from "./config";
import * as enc from "./encoder";
import { Err } from "./errors";
import { ServerInfo, parseInfo } from "./info";
import { OutQueue } from "./outqueue";
import { Parser } from "./parser";
import { ServerPool } from "./pool";
import { RequestCallback, RequestTable, newInbox } from "./requests";
import { Rng } from "./rng";
import { ErrClass, classifyErr } from "./server-errors";
import { Stats } from "./stats";
import { MsgCallback, Sub, SubTable } from "./subs";
import * as subjects from "./subject";

export const enum State {
  Connecting,
  Connected,
  Reconnecting,
  Draining,
  Closed,
}
const STATE_NAMES = ["connecting", "connected", "reconnecting", "draining", "closed"];

/** Where the current link is: none (waiting to retry), waiting for INFO, for the PONG, ready, closing. */
const enum Link {
  None,
  AwaitInfo,
  AwaitPong,
  Ready,
  Closing,
}

/** cb(event, detail): "connect", "reconnect", "disconnect", "ldm", "error", "close" (README). */
export type StatusCallback = (this: void, event: string, detail: string | undefined) => void;
/** cb(err): err undefined on success. */
export type DoneCallback = (this: void, err: string | undefined) => void;

/** What the adapter does for the core: one socket at a time, one write in flight. */
export interface Transport {
  open(this: Transport, host: string, port: number): void;
  /** Write data (at most sendChunkBytes); call client.onWritten() when it has been sent. */
  write(this: Transport, data: string): void;
  /** Close the socket; call client.onClosed() when it is closed. */
  close(this: Transport): void;
  /** Milliseconds on the clock that tick() is given, read now (API calls happen between ticks). */
  now(this: Transport): number;
}

const CONTROL_SLOTS = 16;
/** flush() callbacks waiting for their PONG at once. */
const MAX_FLUSHES = 8;

/** Placeholder in the PONG ring for a keepalive PING (arrays hold no undefined, dialect.md §4). */
function keepalivePong(_err: string | undefined): void {
  // a keepalive PONG only resets pingsOut
}

export class Client {
  cfg: ClientConfig;
  transport: Transport | undefined = undefined;
  parser: Parser;
  info = new ServerInfo();
  /** CONNECT, PING, PONG and resubscriptions of the current link: written before anything in out. */
  ctl: OutQueue;
  /** Publishes, SUBs, UNSUBs and drain's PING: kept across links, bounded by outBuffer. */
  out: OutQueue;
  subs: SubTable;
  reqs: RequestTable;
  pool: ServerPool;
  rng: Rng;
  counters = new Stats();

  state = State.Connecting;
  link = Link.None;
  /** Whether the current link got its PONG (its loss is then a "disconnect"). */
  linkReady = false;
  socketOpen = false;
  started = false;
  everConnected = false;
  closeEmitted = false;
  now = 0;
  linkSince = 0;
  lastPingAt = 0;
  pingsOut = 0;
  /** When the next connection attempt is due (-1: none is). */
  retryAt = -1;
  /** Failed attempts since the last successful connect. */
  failedAttempts = 0;
  /** Subscription slots [resubNext, resubEnd) still to be sent after CONNECT. */
  resubNext = 0;
  resubEnd = 0;

  writing = false;
  pending = "";
  pendingPos = 0;
  /** Publishes in the pending batch (counted unconfirmed if a lost link cuts it). */
  pendingMsgs = 0;

  /** One entry per PING sent on the current link (keepalive or flush), answered in order by PONGs. */
  pongRing: DoneCallback[] = [];
  pongHead = 0;
  pongCount = 0;
  drainCb: DoneCallback | undefined = undefined;
  /** Index in the PONG ring of drain's PING; -1 when not draining. */
  drainPing = -1;

  inbox = "";
  inboxSid = 0;
  inboxCb: MsgCallback;

  statusCb: StatusCallback | undefined = undefined;
  /** The last refused call's or failure's code (lastError()). */
  lastErr = "";
  /** Why the current or last link failed: the detail of the "close" event ("" = closed by the application). */
  failure = "";

  constructor(cfg: ClientConfig) {
    this.cfg = cfg;
    this.parser = new Parser(this, cfg.maxControlLineBytes, cfg.maxPayloadBytes);
    this.ctl = new OutQueue(cfg.maxControlLineBytes + 64, CONTROL_SLOTS);
    this.out = new OutQueue(cfg.outBufferBytes, cfg.outBufferParts);
    this.subs = new SubTable(cfg.maxSubs);
    this.reqs = new RequestTable(cfg.maxRequests);
    this.rng = new Rng(cfg.seed);
    this.pool = new ServerPool(cfg.maxServers);
    for (let i = 0; i < cfg.serverCount; i++) {
      this.pool.add(cfg.serverUrls[i], false);
    }
    if (!cfg.noRandomize) {
      this.pool.shuffle(this.rng);
    }
    for (let i = 0; i < MAX_FLUSHES + cfg.maxPingsOut; i++) {
      this.pongRing.push(keepalivePong);
    }
    this.inboxCb = (subject, payload, _reply, _sid, headers) => {
      this.reqs.reply(subject, this.inbox.length, payload, headers);
    };
  }

  // ---- application API ----

  /** Queue a message; false when refused (lastError() says why). */
  publish(subject: string, payload: string, reply?: string): boolean {
    if (this.state === State.Closed) {
      return this.refuse(Err.Closed);
    }
    return this.accepted(enc.encodePub(this.out, subject, reply, payload, this.maxPayload()), payload);
  }

  /** Queue a message with headers: "Name: value" lines joined by CR LF. */
  hpublish(subject: string, headers: string, payload: string, reply?: string): boolean {
    if (this.state === State.Closed) {
      return this.refuse(Err.Closed);
    }
    // Before the first INFO nothing is known; a server that said headers:false closes on HPUB (§4).
    const serverHeaders = this.info.serverId === "" || this.info.headers;
    return this.accepted(enc.encodeHpub(this.out, subject, reply, headers, payload, this.maxPayload(), serverHeaders), payload);
  }

  /** Subscribe; returns the sid (> 0), or 0 when refused (lastError() says why). */
  subscribe(subject: string, cb: MsgCallback, queue?: string, max?: number): number {
    if (this.state === State.Closed || this.state === State.Draining) {
      this.refuse(this.state === State.Closed ? Err.Closed : Err.Draining);
      return 0;
    }
    let e = subjects.subscribeSubjectError(subject);
    if (e === undefined && queue !== undefined) {
      e = subjects.queueError(queue);
    }
    if (e === undefined && max !== undefined && (max < 1 || Math.floor(max) !== max)) {
      e = Err.MaxInvalid;
    }
    if (e !== undefined) {
      this.refuse(e);
      return 0;
    }
    const s = this.addSub(subject, queue, cb, max ?? 0);
    return s === undefined ? 0 : s.sid;
  }

  /** Stop a subscription now, or after max messages in total. */
  unsubscribe(sid: number, max?: number): boolean {
    const s = this.subs.find(sid);
    if (s === undefined || sid === this.inboxSid) {
      return this.refuse(Err.SidInvalid);
    }
    if (max !== undefined && (max < 1 || Math.floor(max) !== max)) {
      return this.refuse(Err.MaxInvalid);
    }
    const later = max !== undefined && max > s.received;
    if (later) {
      s.max = max ?? 0;
    } else {
      this.subs.remove(s);
    }
    // Offline, the table alone is enough: the next link subscribes only what is left (nats-protocol.md §9).
    if (this.link === Link.Ready) {
      const e = enc.encodeUnsub(this.out, sid, later ? max : undefined);
      if (e !== undefined) {
        return this.refuse(e);
      }
      this.startWrite();
    }
    return true;
  }

  /** Publish with a reply inbox and call cb once: with the reply, or an error ("timeout", "no_responders", ...). */
  request(subject: string, payload: string, timeoutMs: number, cb: RequestCallback): boolean {
    let e: string | undefined = undefined;
    if (this.state === State.Closed || this.state === State.Draining) {
      e = this.state === State.Closed ? Err.Closed : Err.Draining;
    } else if (!(timeoutMs > 0)) {
      e = Err.TimeoutInvalid;
    } else {
      e = subjects.publishSubjectError(subject);
    }
    if (e === undefined && this.inboxSid === 0) {
      e = this.openInbox();
    }
    const r = e === undefined ? this.reqs.add(cb, this.clock(), timeoutMs) : undefined;
    if (e === undefined && r === undefined) {
      e = Err.Overflow;
    }
    if (e === undefined && r !== undefined) {
      e = enc.encodePub(this.out, subject, this.inbox + String(r.token), payload, this.maxPayload());
      if (e === undefined) {
        this.counters.outMsgs++;
        this.counters.outBytes += payload.length;
        this.startWrite();
        return true;
      }
      this.reqs.release(r);
    }
    this.lastErr = e ?? "";
    cb(e, undefined, undefined);
    return false;
  }

  /** PING the server; cb(undefined) when its PONG arrives, cb(error) when the link is lost first. */
  flush(cb: DoneCallback): void {
    if (this.link !== Link.Ready || this.state === State.Closed) {
      cb(this.state === State.Closed ? Err.Closed : Err.Disconnected);
    } else if (this.pongCount >= MAX_FLUSHES) {
      cb(Err.Overflow);
    } else if (!this.ping(this.ctl, cb)) {
      cb(Err.OutFull);
    }
  }

  /**
   * Unsubscribe everything, deliver what is already on its way, then flush and close; cb once at the end
   * (nats.go's Drain). Refused while not connected.
   */
  drain(cb: DoneCallback): void {
    if (this.state !== State.Connected || this.link !== Link.Ready) {
      cb(this.state === State.Closed ? Err.Closed : this.state === State.Draining ? Err.Draining : Err.Disconnected);
      return;
    }
    this.state = State.Draining;
    this.drainCb = cb;
    const slots = this.subs.slots;
    for (let i = 0; i < slots.length; i++) {
      if (slots[i].sid !== 0) {
        enc.encodeUnsub(this.out, slots[i].sid, undefined);
      }
    }
    // The PING goes after the UNSUBs: its PONG means the server has processed them all.
    this.drainPing = (this.pongHead + this.pongCount) % this.pongRing.length;
    if (!this.ping(this.out, keepalivePong)) {
      this.drainPing = -1;
      this.close();
    }
  }

  onStatus(cb: StatusCallback): void {
    this.statusCb = cb;
  }

  status(): string {
    return STATE_NAMES[this.state];
  }

  /** The code of the last refused call or failure ("" when none). */
  lastError(): string {
    return this.lastErr;
  }

  stats(): Stats {
    this.counters.pendingBytes = this.out.bytes;
    this.counters.servers = this.pool.servers.length;
    return this.counters;
  }

  /** Close: what is already queued is still written, then the socket closes; "close" follows. */
  close(): void {
    if (this.state === State.Closed) {
      return;
    }
    this.state = State.Closed;
    this.retryAt = -1;
    this.failure = "";
    this.reqs.failAll(Err.Closed);
    this.failPongs(Err.Closed);
    if (!this.socketOpen || this.link !== Link.Ready) {
      this.dropLink();
      return;
    }
    this.link = Link.Closing;
    this.linkSince = this.now;
    this.startWrite();
  }

  // ---- adapter events ----

  attach(t: Transport): void {
    this.transport = t;
  }

  /** The periodic tick: connects and reconnects, times handshakes, pings, requests and closing. */
  tick(now: number): void {
    this.now = now;
    if (!this.started) {
      this.started = true;
      if (this.state !== State.Closed) {
        this.startLink();
      }
      return;
    }
    if (this.reqs.count > 0) {
      this.reqs.expire(now, Err.Timeout);
    }
    const elapsed = now - this.linkSince;
    if (this.link === Link.None && this.retryAt >= 0 && now >= this.retryAt) {
      this.startLink();
    } else if ((this.link === Link.AwaitInfo || this.link === Link.AwaitPong) && elapsed >= this.cfg.timeoutMs) {
      this.fail(Err.Timeout);
    } else if (this.link === Link.Closing && elapsed >= this.cfg.timeoutMs) {
      this.dropLink();
    } else if (this.link === Link.Ready && this.cfg.pingIntervalMs > 0 && now - this.lastPingAt >= this.cfg.pingIntervalMs) {
      if (this.pingsOut >= this.cfg.maxPingsOut) {
        this.fail(Err.StaleConnection);
        return;
      }
      this.lastPingAt = now;
      if (this.ping(this.ctl, keepalivePong)) {
        this.pingsOut++;
      }
    }
  }

  onOpen(): void {
    this.socketOpen = true;
    this.startWrite();
  }

  onData(chunk: string): void {
    if (this.link !== Link.None) {
      this.parser.feed(chunk);
    }
  }

  onWritten(): void {
    this.writing = false;
    this.startWrite();
  }

  /** The socket closed, by either side; reason is the adapter's error text, if any. */
  onClosed(reason: string | undefined): void {
    if (this.link === Link.None && !this.socketOpen) {
      return;
    }
    const wasReady = this.linkReady;
    this.linkReady = false;
    this.socketOpen = false;
    this.link = Link.None;
    this.keepUnwritten();
    this.failPongs(Err.Disconnected);
    if (wasReady && this.state !== State.Closed) {
      this.emit("disconnect", reason);
    } else if (!wasReady && this.state !== State.Closed && this.failure === "") {
      // Refused, reset or closed before the handshake ended: a failed attempt, not a disconnect.
      this.failure = reason ?? Err.ConnectionClosed;
      this.lastErr = this.failure;
      this.emit("error", this.failure);
    }
    const server = this.pool.current;
    if (server !== undefined && !wasReady) {
      server.attempts++;
      const max = this.cfg.maxReconnectAttempts;
      if (max >= 0 && server.attempts > max) {
        server.dead = true;
      }
    }
    if (this.state === State.Draining) {
      this.finishDrain(Err.Disconnected);
    }
    if (this.state === State.Closed || this.state === State.Draining || !this.cfg.reconnect || this.pool.usable() === 0) {
      this.closeForGood();
      return;
    }
    if (wasReady) {
      this.state = State.Reconnecting;
      this.failedAttempts = 0;
    } else {
      this.failedAttempts++;
    }
    this.retryAt = this.now + this.backoff(this.failedAttempts, wasReady);
  }

  /**
   * Processing received data raised an error (in a subscription or status callback, most likely; only
   * adapters that catch errors call this). The op that raised was consumed; parsing goes on with the
   * rest when the adapter feeds again.
   */
  onCallbackError(message: string): void {
    this.lastErr = Err.CallbackError;
    this.emit("error", message);
  }

  // ---- parser sink ----

  onInfo(json: string): void {
    if (!parseInfo(json, this.info, this.cfg.maxServers)) {
      this.fail(Err.BadInfo);
      return;
    }
    // New servers are shuffled in, so the boards of a failed node spread over the survivors (§10.16).
    if (!this.cfg.ignoreDiscovered && this.pool.merge(this.info) && !this.cfg.noRandomize) {
      this.pool.shuffle(this.rng);
    }
    if (this.link === Link.Ready && this.info.ldm) {
      // Lame duck mode: move to another server before this one closes us (ADR-5, nats-protocol.md §8).
      const s = this.pool.current;
      if (s !== undefined) {
        s.lame = true;
      }
      this.emit("ldm", s === undefined ? undefined : s.url);
      this.dropLink();
      return;
    }
    if (this.link !== Link.AwaitInfo) {
      return;
    }
    if (this.info.tlsRequired) {
      this.fail(Err.TlsRequired);
      return;
    }
    const e = enc.encodeConnect(this.ctl, this.connectFields());
    if (e !== undefined) {
      this.fail(e);
      return;
    }
    enc.encodePing(this.ctl);
    this.link = Link.AwaitPong;
    this.startWrite();
  }

  onMsg(subject: string, sid: number, reply: string | undefined, payload: string, headers: string | undefined): void {
    const s = this.subs.find(sid);
    if (s === undefined) {
      return;
    }
    this.counters.inMsgs++;
    this.counters.inBytes += payload.length;
    s.received++;
    const cb = s.cb;
    if (s.max > 0 && s.received >= s.max) {
      this.subs.remove(s);
    }
    if (cb !== undefined) {
      cb(subject, payload, reply, sid, headers);
    }
  }

  onPing(): void {
    if (enc.encodePong(this.ctl) === undefined) {
      this.startWrite();
    }
  }

  onPong(): void {
    this.pingsOut = 0;
    if (this.link === Link.AwaitPong) {
      this.connected();
      return;
    }
    if (this.pongCount === 0) {
      return;
    }
    const at = this.pongHead;
    const cb = this.pongRing[at];
    this.pongRing[at] = keepalivePong;
    this.pongHead = (at + 1) % this.pongRing.length;
    this.pongCount--;
    if (at === this.drainPing) {
      this.drainPing = -1;
      this.close();
      return;
    }
    cb(undefined);
  }

  onOk(): void {
    // verbose is always off; a stray +OK needs nothing
  }

  onErr(text: string): void {
    this.lastErr = text;
    const kind = classifyErr(text);
    const s = this.pool.current;
    if (kind === ErrClass.Auth && s !== undefined) {
      // The same auth error twice in a row from one server: stop trying it (nats-protocol.md §10.8).
      if (s.lastAuthError === text) {
        s.dead = true;
      }
      s.lastAuthError = text;
    }
    this.emit("error", text);
    if (kind !== ErrClass.Keep || this.link === Link.AwaitInfo || this.link === Link.AwaitPong) {
      this.failure = text;
      this.dropLink();
    }
  }

  onSkipped(_subject: string, _sid: number, _bytes: number): void {
    this.counters.skipped++;
    this.emit("error", Err.PayloadTooLarge);
  }

  onProtocolError(code: string): void {
    this.fail(code);
  }

  // ---- internals ----

  /** The time now: a request made between two ticks must not time out up to a tick early. */
  private clock(): number {
    const t = this.transport;
    return t === undefined ? this.now : t.now();
  }

  private refuse(code: string): boolean {
    this.lastErr = code;
    return false;
  }

  private accepted(e: string | undefined, payload: string): boolean {
    if (e !== undefined) {
      if (e === Err.OutFull) {
        this.counters.dropped++;
      }
      return this.refuse(e);
    }
    this.counters.outMsgs++;
    this.counters.outBytes += payload.length;
    this.startWrite();
    return true;
  }

  private emit(event: string, detail: string | undefined): void {
    const cb = this.statusCb;
    if (cb !== undefined) {
      cb(event, detail);
    }
  }

  private maxPayload(): number {
    const server = this.info.maxPayload;
    return server > 0 && server < this.cfg.maxPayloadBytes ? server : this.cfg.maxPayloadBytes;
  }

  private addSub(subject: string, queue: string | undefined, cb: MsgCallback, max: number): Sub | undefined {
    const s = this.subs.add(subject, queue, cb, max);
    if (s === undefined) {
      this.refuse(Err.SubsFull);
      return undefined;
    }
    // While connected, SUB goes out now, unless the resubscription after CONNECT has yet to reach this slot.
    const pendingResub = this.subs.lastIndex >= this.resubNext && this.subs.lastIndex < this.resubEnd;
    if (this.link === Link.Ready && !pendingResub && !this.sendSub(this.out, s)) {
      this.subs.remove(s);
      this.refuse(Err.OutFull);
      return undefined;
    }
    this.startWrite();
    return s;
  }

  /** The one wildcard subscription all replies arrive on: _INBOX.<random>.* */
  private openInbox(): string | undefined {
    const inbox = newInbox(this.rng);
    const s = this.addSub(inbox + "*", undefined, this.inboxCb, 0);
    if (s === undefined) {
      return this.lastErr;
    }
    this.inbox = inbox;
    this.inboxSid = s.sid;
    return undefined;
  }

  private connectFields(): enc.ConnectFields {
    const s = this.pool.current;
    const cfg = this.cfg;
    return {
      name: cfg.name,
      user: s !== undefined && s.user !== undefined ? s.user : cfg.user,
      pass: s !== undefined && s.pass !== undefined ? s.pass : cfg.pass,
      token: cfg.token,
      echo: cfg.echo,
      headers: this.info.headers,
      lang: cfg.lang,
      version: cfg.version,
    };
  }

  /** SUB for s, plus UNSUB with the remaining count when it auto-unsubscribes (nats-protocol.md §9). */
  private sendSub(q: OutQueue, s: Sub): boolean {
    if (enc.encodeSub(q, s.subject, s.queue, s.sid) !== undefined) {
      return false;
    }
    return s.max === 0 || enc.encodeUnsub(q, s.sid, s.max - s.received) === undefined;
  }

  /** PING on q, with cb waiting in the PONG ring for its answer. */
  private ping(q: OutQueue, cb: DoneCallback): boolean {
    if (this.pongCount >= this.pongRing.length || enc.encodePing(q) !== undefined) {
      return false;
    }
    this.pongRing[(this.pongHead + this.pongCount) % this.pongRing.length] = cb;
    this.pongCount++;
    this.startWrite();
    return true;
  }

  private failPongs(err: string): void {
    while (this.pongCount > 0) {
      const at = this.pongHead;
      const cb = this.pongRing[at];
      this.pongRing[at] = keepalivePong;
      this.pongHead = (at + 1) % this.pongRing.length;
      this.pongCount--;
      if (at !== this.drainPing) {
        cb(err);
      }
    }
    this.pongHead = 0;
  }

  private connected(): void {
    this.link = Link.Ready;
    this.linkReady = true;
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.state = State.Connected;
    this.lastPingAt = this.now;
    this.failedAttempts = 0;
    const s = this.pool.current;
    if (s !== undefined) {
      s.attempts = 0;
      s.lastAuthError = "";
      s.lame = false;
    }
    this.resubNext = 0;
    this.resubEnd = this.subs.slots.length;
    if (reconnected) {
      this.counters.reconnects++;
    }
    this.emit(reconnected ? "reconnect" : "connect", s === undefined ? undefined : s.url);
    this.startWrite();
  }

  /**
   * Wait before the next attempt: none for the first pass over the pool, then reconnectWait doubling per
   * pass up to maxReconnectWait, plus jitter (nats-protocol.md §9, ADR-40).
   */
  private backoff(failed: number, justLost: boolean): number {
    const n = this.pool.usable();
    if (justLost || failed < n) {
      return 0;
    }
    let wait = this.cfg.reconnectWaitMs;
    const max = this.cfg.maxReconnectWaitMs;
    for (let pass = Math.floor(failed / n); pass > 1 && wait < max; pass--) {
      wait = wait * 2;
    }
    return (wait < max ? wait : max) + this.rng.below(this.cfg.reconnectJitterMs + 1);
  }

  private startLink(): void {
    const t = this.transport;
    const s = this.pool.next();
    if (t === undefined || s === undefined) {
      const code = s === undefined ? (this.failure !== "" ? this.failure : Err.BadUrl) : Err.Closed;
      if (this.failure === "") {
        this.failure = code;
        this.lastErr = code;
        this.emit("error", code);
      }
      this.closeForGood();
      return;
    }
    this.retryAt = -1;
    this.failure = "";
    this.link = Link.AwaitInfo;
    this.linkSince = this.now;
    this.pingsOut = 0;
    this.parser.reset();
    this.ctl.take();
    t.open(s.host, s.port);
  }

  /** A failure of the current link: reported, then the socket is closed. */
  private fail(code: string): void {
    this.lastErr = code;
    this.failure = code;
    this.emit("error", code);
    this.dropLink();
  }

  private dropLink(): void {
    const t = this.transport;
    if (this.link === Link.None || t === undefined) {
      if (this.state === State.Closed) {
        this.closeForGood();
      }
      return;
    }
    // Nothing more is written to a socket being closed (Espruino throws "This socket is closed").
    this.link = Link.Closing;
    this.socketOpen = false;
    t.close();
  }

  private closeForGood(): void {
    this.retryAt = -1;
    this.state = State.Closed;
    this.reqs.failAll(Err.Closed);
    if (this.drainCb !== undefined) {
      this.finishDrain(undefined);
    }
    if (!this.closeEmitted) {
      this.closeEmitted = true;
      this.emit("close", this.failure === "" ? undefined : this.failure);
    }
  }

  private finishDrain(err: string | undefined): void {
    const cb = this.drainCb;
    this.drainCb = undefined;
    this.drainPing = -1;
    if (cb !== undefined) {
      cb(err);
    }
  }

  /**
   * A lost link's batch in flight: its publishes are counted unconfirmed (a part of it may have reached
   * the server, nats-protocol.md §9: buffered data is at-most-once). What was not yet taken from the
   * out-queue stays there for the next link.
   */
  private keepUnwritten(): void {
    if (this.pendingPos < this.pending.length || this.writing) {
      this.counters.unconfirmed += this.pendingMsgs;
    }
    this.writing = false;
    this.pending = "";
    this.pendingPos = 0;
    this.pendingMsgs = 0;
  }

  /** Next bytes to write: control first, then resubscriptions, then the application's ops. */
  private nextBatch(): string {
    this.pendingMsgs = 0;
    if (this.ctl.count > 0) {
      return this.ctl.take();
    }
    if (this.link !== Link.Ready && this.link !== Link.Closing) {
      return "";
    }
    const slots = this.subs.slots;
    while (this.resubNext < this.resubEnd) {
      const s = slots[this.resubNext];
      if (s.sid !== 0 && !this.sendSub(this.ctl, s)) {
        break;
      }
      this.resubNext++;
    }
    if (this.ctl.count > 0) {
      return this.ctl.take();
    }
    this.pendingMsgs = this.out.msgs;
    return this.out.take();
  }

  /** Start the next write if none is in flight; each write is at most sendChunkBytes. */
  private startWrite(): void {
    const t = this.transport;
    if (t === undefined || this.writing || !this.socketOpen) {
      return;
    }
    if (this.pendingPos >= this.pending.length) {
      this.pending = this.nextBatch();
      this.pendingPos = 0;
      if (this.pending.length === 0) {
        if (this.link === Link.Closing && this.state === State.Closed) {
          this.dropLink();
        }
        return;
      }
    }
    const max = this.cfg.sendChunkBytes;
    let chunk = this.pending;
    if (this.pendingPos > 0 || chunk.length > max) {
      chunk = this.pending.substring(this.pendingPos, this.pendingPos + max);
    }
    this.pendingPos += chunk.length;
    this.writing = true;
    t.write(chunk);
  }
}

