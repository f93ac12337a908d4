// What waits for the server (profile full): pending requests, in a bounded table in parallel arrays, and
// the PINGs in flight. Replies arrive on the client's one wildcard inbox subscription as
// _INBOX.<nuid>.<token>; timeouts are checked from the tick, so no request has a timer of its own. The
// PINGs in flight on the current link are kept oldest first, each with who waits for its PONG: a flush()
// callback, a keepalive (nobody) or drain (its PONG closes the client).
import { addControl, pump, queuePing } from "./out";
import { lastError } from "./status";
import { addSub } from "./subs";
import { ioId } from "./io";
import { digits, isSubject, random } from "./util";

/** cb(err, payload, headers): err undefined on a reply, else "timeout", "no_responders", "closed", ... */
export type RequestCallback = (this: void, err: string | undefined, payload: string | undefined, headers: string | undefined) => void;

/** The validating publish (conn.ts publish). */
export type Send = (this: unknown, subject: string, payload: string, reply?: string) => boolean;

/** 0 marks a free slot. */
const tokens: number[] = [];
const callbacks: RequestCallback[] = [];
/** When each request times out (the tick's clock). */
const deadlines: number[] = [];
let maxRequests = 0;
let nextToken = 1;
let inbox = "";

/** A new connection: a new inbox (the table is empty: close() ended every request). */
export function resetRequests(max: number): void {
  maxRequests = max;
  inbox = "";
}

/** A message on the inbox: <inbox><token>. A 503 status is "no_responders" (nats-protocol.md §4). */
function onReply(subject: string, payload: string, _reply: string | undefined, _sid: number, headers: string | undefined): void {
  const token = digits(subject, inbox.length, subject.length);
  const none = headers !== undefined && headers.indexOf("NATS/1.0 503") === 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === token && token > 0) {
      // the slot is free before the callback, which may start a new request
      tokens[i] = 0;
      if (none) {
        callbacks[i]("no_responders", undefined, undefined);
      } else {
        callbacks[i](undefined, payload, headers);
      }
    }
  }
}

/** Send a request whose reply comes to the inbox; "" or why it was refused (subs_full, overflow, publish's). */
export function addRequest(cb: RequestCallback, deadline: number, subject: string, payload: string, send: Send): string {
  if (inbox === "") {
    // The one wildcard subscription all replies arrive on: _INBOX.<board id>.<random>.*. The board id
    // keeps boards of a fleet apart (65,537 random names alone are shared in a fleet of a few hundred);
    // the random part, a board's inboxes before and after a restart.
    const id = ioId();
    const prefix = "_INBOX." + (isSubject(id) ? id + "." : "") + String(random(65537)) + ".";
    if (addSub(prefix + "*", onReply, undefined, 0) === 0) {
      return lastError();
    }
    inbox = prefix;
  }
  let i = 0;
  while (i < tokens.length && tokens[i] !== 0) {
    i++;
  }
  if (i >= maxRequests) {
    return "overflow";
  }
  if (!send(subject, payload, inbox + String(nextToken))) {
    return lastError();
  }
  tokens[i] = nextToken;
  callbacks[i] = cb;
  deadlines[i] = deadline;
  nextToken = (nextToken % 999999999) + 1;
  return "";
}

/** cb(err): err undefined on success. */
export type DoneCallback = (this: void, err: string | undefined) => void;

function keepalive(_err: string | undefined): void {
  // a keepalive PONG only resets pingsOut (conn.ts)
}

/** Empty whenever a client starts: close() and a lost link fail every waiter. */
const waiting: DoneCallback[] = [];

/**
 * A PING behind what is queued, cb (undefined: keepalive) waiting for its PONG; "" or why not
 * ("overflow", "out_full"). Forced (drain's), it goes even so: a full queue is written before the close anyway.
 */
export function ping(cb: DoneCallback | undefined, force: boolean): string {
  // at most 10 PINGs wait at once (flushes and keepalives), drain's aside
  if (waiting.length >= 10 && !force) {
    return "overflow";
  }
  if (!queuePing()) {
    if (!force) {
      return "out_full";
    }
    addControl("PING\r\n");
    pump();
  }
  waiting.push(cb ?? keepalive);
  return "";
}

/**
 * A PONG (err undefined): the oldest PING's waiter is answered. The link is gone or the client closed
 * (err): every waiter gets err.
 */
export function pong(err: string | undefined): void {
  for (let n = err === undefined ? 1 : waiting.length; n > 0; n--) {
    const cb = waiting.shift();
    if (cb !== undefined) {
      cb(err);
    }
  }
}

/** End the requests past their deadline with "timeout"; with another err, every request and PING waiter. */
export function endRequests(now: number, err: string): void {
  if (err !== "timeout") {
    pong(err);
  }
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== 0 && (err !== "timeout" || now >= deadlines[i])) {
      tokens[i] = 0;
      callbacks[i](err, undefined, undefined);
    }
  }
}
