// The calls of profile full beyond publish and subscribe: hpublish, request, flush and drain (conn.ts).
import * as requests from "./requests";
import * as report from "./status";
import * as conn from "./conn";
import * as io from "./io";
import * as writer from "./out";

export { drain, flush } from "./conn";
/**
 * publish(subject, payload, reply?) of profile full: the writer's, which hands send() three
 * arguments, never a header block (hpublish validates those).
 */
export { publish } from "./out";

/**
 * hpublish(subject, headers, payload, reply?): HPUB with "Name: value" header lines joined by CR LF.
 * Refused ("headers") unless each line has a name before a colon and no CR, LF or NUL of its own: the
 * block stays well-formed (HPUB carries its byte counts, so no header can inject protocol).
 */
export function hpublish(this: unknown, subject: string, headers: string, payload: string, reply?: string): boolean {
  let ok = typeof headers === "string";
  // the colon of the current line, once seen after its first byte
  let colon = false;
  let start = 0;
  for (let i = 0; ok && i < headers.length; i++) {
    const c = headers.charCodeAt(i);
    if (c === 13 && headers.charCodeAt(i + 1) === 10 && colon) {
      colon = false;
      start = i + 2;
      i++;
    } else if (c === 13 || c === 10 || c === 0) {
      ok = false;
    } else if (c === 58 && i > start) {
      colon = true;
    }
  }
  if (!ok || (!colon && start < headers.length)) {
    return report.refuse("headers");
  }
  if (!conn.serverHeaders) {
    return report.refuse("headers_unsupported");
  }
  return writer.send(subject, payload, reply, "NATS/1.0\r\n" + headers + (headers === "" ? "" : "\r\n") + "\r\n");
}

/** request(subject, payload, timeoutMs, cb): true if sent; cb(err, payload, headers) exactly once. */
export function request(this: unknown, subject: string, payload: string, timeoutMs: number, cb: requests.RequestCallback): boolean {
  if (typeof cb !== "function") {
    return report.refuse("callback");
  }
  const s = conn.status();
  const e =
    s === "closed" || s === "draining" ? s
    : typeof timeoutMs !== "number" || !(timeoutMs > 0) ? "timeout_invalid"
    : requests.addRequest(cb, io.ioNow() + timeoutMs, subject, payload, writer.send);
  if (e === "") {
    return true;
  }
  report.refuse(e);
  cb(e, undefined, undefined);
  return false;
}
