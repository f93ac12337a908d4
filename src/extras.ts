// The calls of profile full beyond publish and subscribe: hpublish, request, flush and drain.
import * as writer from "./out";
import * as pongs from "./pongs";
import * as requests from "./requests";
import * as subs from "./subs";
import * as report from "./status";
import * as conn from "./conn";
import * as blocks from "./headers";
import * as io from "./io";

/** hpublish(subject, headers, payload, reply?): PUB with "Name: value" header lines joined by CR LF. */
export function hpublish(this: unknown, subject: string, headers: string, payload: string, reply?: string): boolean {
  if (!blocks.headersValid(headers)) {
    return report.refuse(conn.isClosed() ? "closed" : "headers");
  }
  if (!conn.headersAllowed()) {
    return report.refuse("headers_unsupported");
  }
  return conn.publish(subject, payload, reply, "NATS/1.0\r\n" + headers + (headers === "" ? "" : "\r\n") + "\r\n");
}

/** publish(subject, payload, reply?) of profile full: never a header block (hpublish validates those). */
export function publish(this: unknown, subject: string, payload: string, reply?: string): boolean {
  return writer.publish(subject, payload, reply);
}

/** request(subject, payload, timeoutMs, cb): true if sent; cb(err, payload, headers) exactly once. */
export function request(this: unknown, subject: string, payload: string, timeoutMs: number, cb: requests.RequestCallback): boolean {
  if (typeof cb !== "function") {
    return report.refuse("callback");
  }
  let e = "";
  if (conn.isClosed() || conn.status() === "draining") {
    e = conn.isClosed() ? "closed" : "draining";
  } else if (typeof timeoutMs !== "number" || !(timeoutMs > 0)) {
    e = "timeout_invalid";
  } else {
    const replyTo = requests.addRequest(cb, io.ioNow(), timeoutMs);
    if (replyTo === "") {
      e = report.lastError() === "subs_full" ? "subs_full" : "overflow";
    } else if (conn.publish(subject, payload, replyTo)) {
      return true;
    } else {
      e = report.lastError();
      requests.dropRequest();
    }
  }
  report.refuse(e);
  cb(e, undefined, undefined);
  return false;
}

/** flush(cb): PING; cb(undefined) when its PONG arrives, cb(err) when the link is lost first. */
export function flush(this: unknown, cb: pongs.DoneCallback): void {
  if (typeof cb !== "function") {
    return;
  }
  if (!conn.isReady()) {
    cb(conn.isClosed() ? "closed" : "disconnected");
  } else if (!pongs.pongRoom()) {
    cb("overflow");
  } else if (!writer.queuePing()) {
    cb("out_full");
  } else {
    pongs.pingSent(cb);
  }
}

/**
 * drain(cb): unsubscribe everything, deliver what is on its way, then close; cb once at the end.
 * The UNSUBs and the PING go out together: the PONG means the server has processed them all.
 */
export function drain(this: unknown, cb: pongs.DoneCallback): void {
  if (typeof cb !== "function") {
    return;
  }
  if (conn.status() !== "connected") {
    cb(conn.isClosed() ? "closed" : conn.status() === "draining" ? "draining" : "disconnected");
    return;
  }
  conn.setDraining();
  subs.unsubscribeAll();
  // drain's PING always goes: a full queue is written before the close anyway
  if (!writer.queuePing()) {
    writer.addControl("PING\r\n");
    conn.writeOut();
  }
  pongs.drainPingSent(cb);
}
