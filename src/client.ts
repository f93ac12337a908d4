// The client state machine: adapter events (open, data, written, closed, tick) and API calls in;
// encoded ops out through the bounded queues, one write in flight; status and messages to callbacks.
//
// Lifecycle: connecting → (INFO → CONNECT+PING → PONG) → connected → closed. Only a PONG makes the
// connection "connected" (nats-protocol.md §10.1); an -ERR, a timeout or a close before it fails it.
import { ConnectFields, encodeConnect, encodePing, encodePong, encodePub, encodeSub, encodeUnsub } from "./encoder";
import { Err } from "./errors";
import { ServerInfo, parseInfo } from "./info";
import { OutQueue } from "./outqueue";
import { Parser } from "./parser";
import { ClientConfig } from "./config";
import { MsgCallback, Sub, SubTable } from "./subs";
import { queueError, subscribeSubjectError } from "./subject";
import { ServerAddr } from "./url";

export const enum State {
  Connecting,
  Connected,
  Reconnecting,
  Draining,
  Closed,
}
const STATE_NAMES = ["connecting", "connected", "reconnecting", "draining", "closed"];

/** Where the current connection is: no socket, waiting for INFO, waiting for the PONG, ready, closing. */
const enum Link {
  None,
  AwaitInfo,
  AwaitPong,
  Ready,
  Closing,
}

/** cb(event, detail): "connect", "disconnect", "error", "close"; detail is the error code or text. */
export type StatusCallback = (this: void, event: string, detail: string | undefined) => void;

/** What the adapter does for the core: one socket at a time, one write in flight. */
export interface Transport {
  open(this: Transport, host: string, port: number): void;
  /** Write data (at most sendChunkBytes); call client.onWritten() when it has been sent. */
  write(this: Transport, data: string): void;
  /** Close the socket; call client.onClosed() when it is closed. */
  close(this: Transport): void;
}

const CONTROL_PARTS = 16;

export class Client {
  cfg: ClientConfig;
  transport: Transport | undefined = undefined;
  parser: Parser;
  info = new ServerInfo();
  /** CONNECT, PING, PONG and resubscriptions: written before anything in out. */
  ctl: OutQueue;
  /** Publishes, SUBs and UNSUBs from the application. */
  out: OutQueue;
  subs: SubTable;
  servers: ServerAddr[] = [];
  server: ServerAddr | undefined = undefined;

  state = State.Connecting;
  link = Link.None;
  /** Whether the current link got its PONG (its loss is then a "disconnect"). */
  linkReady = false;
  socketOpen = false;
  started = false;
  closeEmitted = false;
  now = 0;
  linkSince = 0;
  lastPingAt = 0;
  pingsOut = 0;
  /** Subscription slots [resubNext, resubEnd) still to be sent after CONNECT (made before the link was ready). */
  resubNext = 0;
  resubEnd = 0;

  writing = false;
  pending = "";
  pendingPos = 0;

  statusCb: StatusCallback | undefined = undefined;
  /** The last refused call's or failure's code (lastError()). */
  lastErr = "";
  /** Why the connection last failed: the detail of the "close" event ("" = closed by the application). */
  failure = "";

  inMsgs = 0;
  inBytes = 0;
  outMsgs = 0;
  outBytes = 0;
  dropped = 0;
  skipped = 0;

  constructor(cfg: ClientConfig) {
    this.cfg = cfg;
    this.parser = new Parser(this, cfg.maxControlLineBytes, cfg.maxPayloadBytes);
    this.ctl = new OutQueue(cfg.maxControlLineBytes + 64, CONTROL_PARTS);
    this.out = new OutQueue(cfg.outBufferBytes, cfg.outBufferParts);
    this.subs = new SubTable(cfg.maxSubs);
    for (let i = 0; i < cfg.serverCount; i++) {
      this.servers.push(new ServerAddr(cfg.serverUrls[i], false));
    }
  }

  // ---- application API ----

  /** Queue a message; false when refused (lastError() says why). */
  publish(subject: string, payload: string, reply?: string): boolean {
    if (this.state === State.Closed || this.state === State.Draining) {
      return this.refuse(Err.Closed);
    }
    const e = encodePub(this.out, subject, reply, payload, this.maxPayload());
    if (e !== undefined) {
      if (e === Err.OutFull) {
        this.dropped++;
      }
      return this.refuse(e);
    }
    this.outMsgs++;
    this.outBytes += payload.length;
    this.flush();
    return true;
  }

  /** Subscribe; returns the sid (> 0), or 0 when refused (lastError() says why). */
  subscribe(subject: string, cb: MsgCallback, queue?: string, max?: number): number {
    if (this.state === State.Closed || this.state === State.Draining) {
      this.refuse(Err.Closed);
      return 0;
    }
    let e = subscribeSubjectError(subject);
    if (e === undefined && queue !== undefined) {
      e = queueError(queue);
    }
    if (e === undefined && max !== undefined && (max < 1 || Math.floor(max) !== max)) {
      e = Err.MaxInvalid;
    }
    if (e !== undefined) {
      this.refuse(e);
      return 0;
    }
    const s = this.subs.add(subject, queue, cb, max ?? 0);
    if (s === undefined) {
      this.refuse(Err.SubsFull);
      return 0;
    }
    // While connected, SUB goes out now, unless the resubscription after CONNECT has yet to reach this slot.
    const pendingResub = this.subs.lastIndex >= this.resubNext && this.subs.lastIndex < this.resubEnd;
    if (this.link === Link.Ready && !pendingResub && !this.sendSub(this.out, s)) {
      this.subs.remove(s);
      this.refuse(Err.OutFull);
      return 0;
    }
    this.flush();
    return s.sid;
  }

  /** Stop a subscription now, or after max messages in total. */
  unsubscribe(sid: number, max?: number): boolean {
    const s = this.subs.find(sid);
    if (s === undefined) {
      return this.refuse(Err.SidInvalid);
    }
    if (max !== undefined && (max < 1 || Math.floor(max) !== max)) {
      return this.refuse(Err.MaxInvalid);
    }
    if (max !== undefined && max > s.received) {
      s.max = max;
    } else {
      this.subs.remove(s);
    }
    if (this.link === Link.Ready) {
      const e = encodeUnsub(this.out, sid, max !== undefined && max > s.received ? max : undefined);
      if (e !== undefined) {
        return this.refuse(e);
      }
      this.flush();
    }
    return true;
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

  /** Close: what is already queued is still written, then the socket closes; "close" follows. */
  close(): void {
    if (this.state === State.Closed) {
      return;
    }
    this.state = State.Closed;
    if (!this.socketOpen || this.link !== Link.Ready) {
      this.dropLink();
      return;
    }
    this.link = Link.Closing;
    this.linkSince = this.now;
    this.flush();
  }

  // ---- adapter events ----

  attach(t: Transport): void {
    this.transport = t;
  }

  /** The periodic tick: starts the connection, and times handshakes, pings and closing. */
  tick(now: number): void {
    this.now = now;
    if (!this.started) {
      this.started = true;
      this.connectNext();
      return;
    }
    const elapsed = now - this.linkSince;
    if ((this.link === Link.AwaitInfo || this.link === Link.AwaitPong) && elapsed >= this.cfg.timeoutMs) {
      this.fail(Err.Timeout);
    } else if (this.link === Link.Closing && elapsed >= this.cfg.timeoutMs) {
      this.dropLink();
    } else if (this.link === Link.Ready && this.cfg.pingIntervalMs > 0 && now - this.lastPingAt >= this.cfg.pingIntervalMs) {
      if (this.pingsOut >= this.cfg.maxPingsOut) {
        this.fail(Err.StaleConnection);
        return;
      }
      this.lastPingAt = now;
      if (encodePing(this.ctl) === undefined) {
        this.pingsOut++;
        this.flush();
      }
    }
  }

  onOpen(): void {
    this.socketOpen = true;
    this.flush();
  }

  onData(chunk: string): void {
    if (this.link !== Link.None) {
      this.parser.feed(chunk);
    }
  }

  onWritten(): void {
    this.writing = false;
    this.flush();
  }

  /** The socket closed, by either side; reason is the adapter's error text, if any. */
  onClosed(reason: string | undefined): void {
    const wasReady = this.linkReady;
    this.linkReady = false;
    this.socketOpen = false;
    this.writing = false;
    this.pending = "";
    this.pendingPos = 0;
    this.link = Link.None;
    if (this.state !== State.Closed) {
      if (wasReady) {
        this.emit("disconnect", reason);
      } else if (this.failure === "") {
        // Refused, reset or closed before the handshake ended: a failed connection, not a disconnect.
        this.failure = reason ?? Err.ConnectionClosed;
        this.lastErr = this.failure;
        this.emit("error", this.failure);
      }
      this.state = State.Closed;
    }
    this.emitClose();
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
    if (this.link !== Link.AwaitInfo) {
      return;
    }
    if (this.info.tlsRequired) {
      this.fail(Err.TlsRequired);
      return;
    }
    const e = encodeConnect(this.ctl, this.connectFields());
    if (e !== undefined) {
      this.fail(e);
      return;
    }
    encodePing(this.ctl);
    this.link = Link.AwaitPong;
    this.flush();
  }

  onMsg(subject: string, sid: number, reply: string | undefined, payload: string, headers: string | undefined): void {
    this.inMsgs++;
    this.inBytes += payload.length;
    const s = this.subs.find(sid);
    if (s === undefined) {
      return;
    }
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
    if (encodePong(this.ctl) === undefined) {
      this.flush();
    }
  }

  onPong(): void {
    this.pingsOut = 0;
    if (this.link === Link.AwaitPong) {
      this.link = Link.Ready;
      this.linkReady = true;
      this.state = State.Connected;
      this.lastPingAt = this.now;
      this.resubNext = 0;
      this.resubEnd = this.subs.slots.length;
      this.emit("connect", this.server === undefined ? undefined : this.server.url);
      this.flush();
    }
  }

  onOk(): void {
    // verbose is always off; a stray +OK needs nothing
  }

  onErr(text: string): void {
    this.lastErr = text;
    this.emit("error", text);
    if (this.link === Link.AwaitInfo || this.link === Link.AwaitPong) {
      this.failure = text;
      this.dropLink();
    }
  }

  onSkipped(_subject: string, _sid: number, _bytes: number): void {
    this.skipped++;
    this.emit("error", Err.PayloadTooLarge);
  }

  onProtocolError(code: string): void {
    this.fail(code);
  }

  // ---- internals ----

  private refuse(code: string): boolean {
    this.lastErr = code;
    return false;
  }

  private emit(event: string, detail: string | undefined): void {
    const cb = this.statusCb;
    if (cb !== undefined) {
      cb(event, detail);
    }
  }

  private emitClose(): void {
    if (!this.closeEmitted) {
      this.closeEmitted = true;
      this.emit("close", this.failure === "" ? undefined : this.failure);
    }
  }

  private maxPayload(): number {
    const server = this.info.maxPayload;
    return server > 0 && server < this.cfg.maxPayloadBytes ? server : this.cfg.maxPayloadBytes;
  }

  private connectFields(): ConnectFields {
    const s = this.server;
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
    if (encodeSub(q, s.subject, s.queue, s.sid) !== undefined) {
      return false;
    }
    return s.max === 0 || encodeUnsub(q, s.sid, s.max - s.received) === undefined;
  }

  private connectNext(): void {
    const t = this.transport;
    let chosen: ServerAddr | undefined = undefined;
    for (let i = 0; i < this.servers.length; i++) {
      if (this.servers[i].port > 0) {
        chosen = this.servers[i];
        break;
      }
    }
    if (t === undefined || chosen === undefined) {
      this.lastErr = chosen === undefined ? Err.BadUrl : Err.Closed;
      this.failure = this.lastErr;
      this.emit("error", this.lastErr);
      this.state = State.Closed;
      this.emitClose();
      return;
    }
    this.server = chosen;
    this.failure = "";
    this.link = Link.AwaitInfo;
    this.linkSince = this.now;
    this.parser.reset();
    t.open(chosen.host, chosen.port);
  }

  /** A failure of the current connection: reported, then the socket is closed. */
  private fail(code: string): void {
    this.lastErr = code;
    this.failure = code;
    this.emit("error", code);
    this.dropLink();
  }

  private dropLink(): void {
    const t = this.transport;
    if (this.link === Link.None || t === undefined) {
      this.state = State.Closed;
      this.emitClose();
      return;
    }
    this.link = Link.Closing;
    t.close();
  }

  /** Next bytes to write: control first, then resubscriptions, then the application's ops. */
  private nextBatch(): string {
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
    return this.out.take();
  }

  /** Start the next write if none is in flight; each write is at most sendChunkBytes. */
  flush(): void {
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
