// Counters of a connection, returned by stats() (one object per client, refreshed in place).

export class Stats {
  /** Messages and payload bytes delivered to subscriptions and requests. */
  inMsgs = 0;
  inBytes = 0;
  /** Messages and payload bytes accepted by publish/hpublish/request. */
  outMsgs = 0;
  outBytes = 0;
  /** Successful reconnections. */
  reconnects = 0;
  /** Publishes refused because the out-queue was full. */
  dropped = 0;
  /** Inbound messages over maxPayload, skipped without being buffered. */
  skipped = 0;
  /** Publishes in a write that a lost connection cut short: they may or may not have reached the server. */
  unconfirmed = 0;
  /** Bytes waiting in the out-queue. */
  pendingBytes = 0;
  /** Servers in the pool, configured and discovered. */
  servers = 0;
}
