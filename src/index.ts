// The nats-mcu library: connect() and the calls of the connection it returns. A profile's build keeps
// only its own calls (README: profiles): pub, pubsub (+ subscribe, unsubscribe), full (+ the rest).
import { Ev } from "./events";
import * as io from "./io";
import * as writer from "./out";
import { feed } from "./parser";
import * as report from "./status";
import * as conn from "./conn";
//#if SUBS
import * as subs from "./subs";
//#endif
//#if FULL
import { drain, flush, hpublish, publish, request } from "./extras";

export { header } from "./headers";
//#endif

function onEvent(ev: number, data: string | undefined, now: number): void {
  // Written goes to the writer at once (ioStart)
  if (ev === Ev.Data) {
    feed(data as string);
  } else if (ev === Ev.Tick) {
    conn.tick(now);
  } else if (ev === Ev.Open) {
    conn.opened();
  } else if (ev === Ev.Closed) {
    conn.closed(data);
  } else {
    report.refuse("callback_error");
    report.emit("error", data);
  }
}

// what the writer does not do alone goes back to the connection
writer.useConn(conn.writeOut);

/** The connection's publish: the writer's; in profile full one that takes no header block (hpublish makes those). */
let publishCall = writer.publish;
//#if FULL
publishCall = publish;
//#endif

/** The connection: one per board. */
const nc = {
  publish: publishCall,
  //#if SUBS
  subscribe: subs.subscribe,
  unsubscribe: subs.unsubscribe,
  //#endif
  //#if FULL
  hpublish: hpublish,
  request: request,
  flush: flush,
  drain: drain,
  stats: conn.stats,
  //#endif
  onStatus: report.onStatus,
  status: conn.status,
  lastError: report.lastError,
  close: conn.close,
};

/** connect(opts): the board's connection, connecting in the background (first attempt at the next tick). */
export function connect(this: void, opts?: unknown): typeof nc {
  // (nothing to close: close() returns at once)
  conn.close();
  report.resetStatus();
  conn.start(opts, io.ioSeed());
  io.ioStart(onEvent, writer.onWritten);
  return nc;
}
