// Encoders for client ops: each validates its arguments, then appends the op's pieces to the bounded
// out-queue whole or not at all. Returns an error code (errors.ts), or undefined when queued.
import { Ch, CRLF } from "./chars";
import { Err } from "./errors";
import { HEADER_LINE, HEADER_VERSION, MAX_CONTROL_LINE_BYTES } from "./limits";
import { OutQueue } from "./outqueue";
import { publishSubjectError, queueError, replyError, subscribeSubjectError } from "./subject";

/** What CONNECT says about the client (nats-protocol.md §3); undefined strings are left out. */
export interface ConnectFields {
  name: string | undefined;
  user: string | undefined;
  pass: string | undefined;
  token: string | undefined;
  echo: boolean;
  /** Only true when the server's INFO says headers:true (a server without headers closes on HPUB). */
  headers: boolean;
  lang: string;
  version: string;
}

const HEX = "0123456789abcdef";

function jsonEscape(c: number): string {
  switch (c) {
    case Ch.Quote:
      return "\\\"";
    case Ch.Backslash:
      return "\\\\";
    case Ch.LF:
      return "\\n";
    case Ch.CR:
      return "\\r";
    case Ch.Tab:
      return "\\t";
    default:
      const high = Math.floor(c / 16);
      const low = c % 16;
      return "\\u00" + HEX.charAt(high) + HEX.charAt(low);
  }
}

/** A JSON string literal: quote, backslash and control bytes escaped; other bytes passed as they are. */
export function jsonString(s: string): string {
  let out = "";
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === Ch.Quote || c === Ch.Backslash || c < 32) {
      out = out + s.substring(runStart, i) + jsonEscape(c);
      runStart = i + 1;
    }
  }
  return runStart === 0 ? "\"" + s + "\"" : "\"" + out + s.substring(runStart) + "\"";
}

function jsonField(name: string, value: string | undefined): string {
  return value === undefined ? "" : ",\"" + name + "\":" + jsonString(value);
}

/**
 * CONNECT with verbose and pedantic off and protocol 1 (async INFO), always (nats-protocol.md §3: the
 * server's defaults for omitted fields are verbose and pedantic). no_responders goes with headers.
 */
export function encodeConnect(q: OutQueue, f: ConnectFields): string | undefined {
  const h = f.headers ? "true" : "false";
  const json =
    "{\"verbose\":false,\"pedantic\":false,\"tls_required\":false" +
    jsonField("name", f.name) +
    jsonField("lang", f.lang) +
    jsonField("version", f.version) +
    ",\"protocol\":1,\"echo\":" +
    (f.echo ? "true" : "false") +
    ",\"headers\":" +
    h +
    ",\"no_responders\":" +
    h +
    jsonField("user", f.user) +
    jsonField("pass", f.pass) +
    jsonField("auth_token", f.token) +
    "}";
  if (json.length > MAX_CONTROL_LINE_BYTES) {
    return Err.LineTooLong;
  }
  if (!q.fits(json.length + 10)) {
    return Err.OutFull;
  }
  q.add("CONNECT " + json + CRLF);
  return undefined;
}

/** Error code for a subject and optional reply to publish to, or undefined. */
function publishTargetError(subject: string, reply: string | undefined): string | undefined {
  const e = publishSubjectError(subject);
  if (e !== undefined || reply === undefined) {
    return e;
  }
  return replyError(reply);
}

/** PUB <subject> [reply] <#bytes>␍␊<payload>␍␊ — payload length in bytes (one char is one byte). */
export function encodePub(
  q: OutQueue,
  subject: string,
  reply: string | undefined,
  payload: string,
  maxPayload: number,
): string | undefined {
  const e = publishTargetError(subject, reply);
  if (e !== undefined) {
    return e;
  }
  if (payload.length > maxPayload) {
    return Err.PayloadTooLarge;
  }
  const size = String(payload.length);
  const args = subject.length + 1 + (reply === undefined ? 0 : reply.length + 1) + size.length;
  if (args > MAX_CONTROL_LINE_BYTES) {
    return Err.LineTooLong;
  }
  if (!q.fits(4 + args + 4 + payload.length)) {
    return Err.OutFull;
  }
  q.add("PUB ");
  q.add(subject);
  q.add(" ");
  if (reply !== undefined) {
    q.add(reply);
    q.add(" ");
  }
  q.add(size);
  q.add(CRLF);
  q.add(payload);
  q.add(CRLF);
  q.msgs++;
  return undefined;
}

/** "Name: value" lines joined by CR LF: each with a non-empty name before ':', no bare CR or LF, no empty line. */
export function headersError(lines: string): string | undefined {
  const n = lines.length;
  if (n === 0) {
    return undefined;
  }
  let lineStart = 0;
  let colon = -1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? lines.charCodeAt(i) : Ch.CR;
    if (c === Ch.CR) {
      if (i < n && (i + 1 >= n || lines.charCodeAt(i + 1) !== Ch.LF)) {
        return Err.HeadersInvalid;
      }
      if (colon <= lineStart) {
        return Err.HeadersInvalid;
      }
      i++;
      lineStart = i + 1;
      colon = -1;
    } else if (c === Ch.LF) {
      return Err.HeadersInvalid;
    } else if (c === Ch.Colon) {
      if (colon < 0) {
        colon = i;
      }
    } else if (colon < 0 && (c === Ch.Space || c === Ch.Tab)) {
      return Err.HeadersInvalid;
    }
  }
  return undefined;
}

/**
 * HPUB <subject> [reply] <#hdr> <#total>␍␊NATS/1.0␍␊<lines>␍␊␍␊<payload>␍␊, where lines are
 * "Name: value" lines joined by CR LF ("" for none). serverHeaders is INFO's headers field.
 */
export function encodeHpub(
  q: OutQueue,
  subject: string,
  reply: string | undefined,
  lines: string,
  payload: string,
  maxPayload: number,
  serverHeaders: boolean,
): string | undefined {
  if (!serverHeaders) {
    return Err.HeadersUnsupported;
  }
  let e = publishTargetError(subject, reply);
  if (e === undefined) {
    e = headersError(lines);
  }
  if (e !== undefined) {
    return e;
  }
  // version line + lines + CR LF after the last line + the blank line
  const hdr = HEADER_VERSION.length + 2 + (lines.length > 0 ? lines.length + 2 : 0) + 2;
  const total = hdr + payload.length;
  if (total > maxPayload) {
    return Err.PayloadTooLarge;
  }
  const hdrSize = String(hdr);
  const totalSize = String(total);
  const args = subject.length + 1 + (reply === undefined ? 0 : reply.length + 1) + hdrSize.length + 1 + totalSize.length;
  if (args > MAX_CONTROL_LINE_BYTES) {
    return Err.LineTooLong;
  }
  if (!q.fits(5 + args + 2 + total + 2)) {
    return Err.OutFull;
  }
  q.add("HPUB ");
  q.add(subject);
  q.add(" ");
  if (reply !== undefined) {
    q.add(reply);
    q.add(" ");
  }
  q.add(hdrSize);
  q.add(" ");
  q.add(totalSize);
  q.add(CRLF);
  q.add(HEADER_LINE);
  if (lines.length > 0) {
    q.add(lines);
    q.add(CRLF);
  }
  q.add(CRLF);
  q.add(payload);
  q.add(CRLF);
  q.msgs++;
  return undefined;
}

function sidValid(sid: number): boolean {
  return sid >= 1 && sid <= 999999999 && Math.floor(sid) === sid;
}

/** SUB <subject> [queue] <sid>␍␊ */
export function encodeSub(q: OutQueue, subject: string, queue: string | undefined, sid: number): string | undefined {
  let e = subscribeSubjectError(subject);
  if (e === undefined && queue !== undefined) {
    e = queueError(queue);
  }
  if (e !== undefined) {
    return e;
  }
  if (!sidValid(sid)) {
    return Err.SidInvalid;
  }
  const id = String(sid);
  const args = subject.length + 1 + (queue === undefined ? 0 : queue.length + 1) + id.length;
  if (args > MAX_CONTROL_LINE_BYTES) {
    return Err.LineTooLong;
  }
  if (!q.fits(4 + args + 2)) {
    return Err.OutFull;
  }
  q.add("SUB ");
  q.add(subject);
  q.add(" ");
  if (queue !== undefined) {
    q.add(queue);
    q.add(" ");
  }
  q.add(id);
  q.add(CRLF);
  return undefined;
}

/** UNSUB <sid> [max]␍␊ — max: stop after that many messages in total (nats-protocol.md §1). */
export function encodeUnsub(q: OutQueue, sid: number, max: number | undefined): string | undefined {
  if (!sidValid(sid)) {
    return Err.SidInvalid;
  }
  if (max !== undefined && !sidValid(max)) {
    return Err.MaxInvalid;
  }
  const id = String(sid);
  const limit = max === undefined ? "" : " " + String(max);
  if (!q.fits(6 + id.length + limit.length + 2)) {
    return Err.OutFull;
  }
  q.add("UNSUB ");
  q.add(id);
  q.add(limit);
  q.add(CRLF);
  return undefined;
}

export function encodePing(q: OutQueue): string | undefined {
  if (!q.fits(6)) {
    return Err.OutFull;
  }
  q.add("PING\r\n");
  return undefined;
}

export function encodePong(q: OutQueue): string | undefined {
  if (!q.fits(6)) {
    return Err.OutFull;
  }
  q.add("PONG\r\n");
  return undefined;
}
