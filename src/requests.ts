// Pending requests (profile full): a bounded table in parallel arrays. Replies arrive on the client's one
// wildcard inbox subscription as _INBOX.<nuid>.<token>; timeouts are checked from the tick, so no
// request has a timer of its own.
import { lastError } from "./status";
import { addSub } from "./subs";
import { digits, random } from "./util";

/** cb(err, payload, headers): err undefined on a reply, else "timeout", "no_responders", "closed", ... */
export type RequestCallback = (this: void, err: string | undefined, payload: string | undefined, headers: string | undefined) => void;

/** The validating publish (conn.ts publish). */
export type Send = (this: unknown, subject: string, payload: string, reply?: string) => boolean;

/** 0 marks a free slot. */
let tokens: number[] = [];
let callbacks: RequestCallback[] = [];
/** When each request times out (the tick's clock). */
let deadlines: number[] = [];
let maxRequests = 0;
let nextToken = 1;
let inbox = "";

export function resetRequests(max: number): void {
  tokens = [];
  callbacks = [];
  deadlines = [];
  maxRequests = max;
  nextToken = 1;
  inbox = "";
}

/** Free slot i, then call its callback (which may start a new request). */
function finish(i: number, err: string | undefined, payload: string | undefined, headers: string | undefined): void {
  tokens[i] = 0;
  callbacks[i](err, payload, headers);
}

/** A message on the inbox: <inbox><token>. A 503 status is "no_responders" (nats-protocol.md §4). */
function onReply(subject: string, payload: string, _reply: string | undefined, _sid: number, headers: string | undefined): void {
  const token = digits(subject, inbox.length, subject.length);
  const none = headers !== undefined && headers.indexOf("NATS/1.0 503") === 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === token && token > 0) {
      finish(i, none ? "no_responders" : undefined, none ? undefined : payload, none ? undefined : headers);
    }
  }
}

/** Send a request whose reply comes to the inbox; "" or why it was refused (subs_full, overflow, publish's). */
export function addRequest(cb: RequestCallback, deadline: number, subject: string, payload: string, send: Send): string {
  if (inbox === "") {
    // The one wildcard subscription all replies arrive on: _INBOX.<random>.*
    let nuid = "_INBOX.";
    for (let i = 0; i < 16; i++) {
      const k = random(36);
      nuid = nuid + "0123456789abcdefghijklmnopqrstuvwxyz".charAt(k);
    }
    if (addSub(nuid + ".*", onReply, undefined, 0) === 0) {
      return lastError();
    }
    inbox = nuid + ".";
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

/** End the requests past their deadline with "timeout"; with another err, every request. */
export function endRequests(now: number, err: string): void {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== 0 && (err !== "timeout" || now >= deadlines[i])) {
      finish(i, err, undefined, undefined);
    }
  }
}
