// Pending requests (profile full): a bounded table in parallel arrays. Replies arrive on the client's one
// wildcard inbox subscription as _INBOX.<nuid>.<token>; timeouts are checked from the tick, so no
// request has a timer of its own.
import { headerStatus } from "./headers";
import { addSub } from "./subs";
import { digits, random } from "./util";

/** cb(err, payload, headers): err undefined on a reply, else "timeout", "no_responders", "closed", ... */
export type RequestCallback = (this: void, err: string | undefined, payload: string | undefined, headers: string | undefined) => void;

function noCallback(): void {
  // a free slot's callback
}

const NUID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz";

/** 0 marks a free slot. */
let tokens: number[] = [];
let callbacks: RequestCallback[] = [];
/** When each request times out (the tick's clock). */
let deadlines: number[] = [];
/** The slot addRequest() filled last (dropRequest() frees it). */
let last = -1;
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
  const cb = callbacks[i];
  tokens[i] = 0;
  callbacks[i] = noCallback;
  cb(err, payload, headers);
}

/** A message on the inbox: <inbox><token>. A 503 status is "no_responders" (nats-protocol.md §4). */
function onReply(subject: string, payload: string, _reply: string | undefined, _sid: number, headers: string | undefined): void {
  const token = digits(subject, inbox.length, subject.length);
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === token && token > 0) {
      if (headers !== undefined && headerStatus(headers) === 503) {
        finish(i, "no_responders", undefined, undefined);
      } else {
        finish(i, undefined, payload, headers);
      }
    }
  }
}

/** The reply subject of a new request, or "" with the reason refused (subs_full, overflow). */
export function addRequest(cb: RequestCallback, now: number, timeoutMs: number): string {
  if (inbox === "") {
    // The one wildcard subscription all replies arrive on: _INBOX.<random>.*
    let nuid = "";
    for (let i = 0; i < 16; i++) {
      const k = random(36);
      nuid = nuid + NUID_CHARS.charAt(k);
    }
    if (addSub("_INBOX." + nuid + ".*", onReply, undefined, 0) === 0) {
      return "";
    }
    inbox = "_INBOX." + nuid + ".";
  }
  let i = -1;
  for (let k = 0; k < tokens.length && i < 0; k++) {
    if (tokens[k] === 0) {
      i = k;
    }
  }
  if (i < 0 && tokens.length < maxRequests) {
    tokens.push(0);
    callbacks.push(noCallback);
    deadlines.push(0);
    i = tokens.length - 1;
  }
  if (i < 0) {
    return "";
  }
  tokens[i] = nextToken;
  nextToken = nextToken >= 999999999 ? 1 : nextToken + 1;
  callbacks[i] = cb;
  deadlines[i] = now + timeoutMs;
  last = i;
  return inbox + String(tokens[i]);
}

/** Free the slot of the request just added, which could not be sent, without calling back. */
export function dropRequest(): void {
  tokens[last] = 0;
  callbacks[last] = noCallback;
}

/** Time out every request older than its timeout. */
export function expireRequests(now: number): void {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== 0 && now >= deadlines[i]) {
      finish(i, "timeout", undefined, undefined);
    }
  }
}

export function failRequests(err: string): void {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== 0) {
      finish(i, err, undefined, undefined);
    }
  }
}
