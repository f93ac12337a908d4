// The public API of the nats-mcu library as board apps see it (same names on both runtimes; Lua calls
// methods with ":"). Callbacks take positional arguments; errors are short string codes.

interface NatsConnectOptions {
  servers?: string | string[];
  name?: string;
  user?: string;
  pass?: string;
  token?: string;
  echo?: boolean;
  pingInterval?: number;
  maxPingsOut?: number;
  timeout?: number;
  maxPayload?: number;
  outBuffer?: number;
  maxSubs?: number;
  maxServers?: number;
  maxRequests?: number;
  reconnect?: boolean;
  reconnectWait?: number;
  reconnectJitter?: number;
  maxReconnectWait?: number;
  maxReconnectAttempts?: number;
  noRandomize?: boolean;
  ignoreDiscovered?: boolean;
  seed?: number;
}

interface NatsStats {
  inMsgs: number;
  outMsgs: number;
  inBytes: number;
  outBytes: number;
  reconnects: number;
  dropped: number;
  skipped: number;
  unconfirmed: number;
  pendingBytes: number;
  servers: number;
}

interface NatsConnection {
  /** true if accepted, false if refused (lastError() says why). */
  publish(this: NatsConnection, subject: string, payload: string, reply?: string): boolean;
  /** headers: "Name: value" lines joined by CR LF. */
  hpublish(this: NatsConnection, subject: string, headers: string, payload: string, reply?: string): boolean;
  /** cb once: (undefined, payload, headers) on a reply, else (error code). */
  request(
    this: NatsConnection,
    subject: string,
    payload: string,
    timeoutMs: number,
    cb: (this: void, err: string | undefined, payload: string | undefined, headers: string | undefined) => void,
  ): boolean;
  flush(this: NatsConnection, cb: (this: void, err: string | undefined) => void): void;
  drain(this: NatsConnection, cb: (this: void, err: string | undefined) => void): void;
  stats(this: NatsConnection): NatsStats;
  /** The sid (> 0), or 0 when refused. */
  subscribe(
    this: NatsConnection,
    subject: string,
    cb: (this: void, subject: string, payload: string, reply: string | undefined, sid: number, headers: string | undefined) => void,
    queue?: string,
    max?: number,
  ): number;
  unsubscribe(this: NatsConnection, sid: number, max?: number): boolean;
  onStatus(this: NatsConnection, cb: (this: void, event: string, detail: string | undefined) => void): void;
  status(this: NatsConnection): string;
  lastError(this: NatsConnection): string;
  close(this: NatsConnection): void;
}

interface NatsLibrary {
  connect(this: void, opts?: NatsConnectOptions): NatsConnection;
}
