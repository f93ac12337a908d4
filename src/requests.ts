// Pending requests: a bounded table of slots (created on first need, then reused). Replies arrive on the
// client's one wildcard inbox subscription as _INBOX.<nuid>.<token>; timeouts are checked from the tick,
// so no request has a timer of its own.

import { parseDigits } from "./chars";
import { Err } from "./errors";
import { headerStatus } from "./headers";
import { Rng } from "./rng";

const NUID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz";
const NUID_LENGTH = 16;

/** A fresh inbox prefix "_INBOX.<16 random chars>." (replies go to prefix + token). */
export function newInbox(rng: Rng): string {
  let nuid = "";
  for (let i = 0; i < NUID_LENGTH; i++) {
    const k = rng.below(NUID_CHARS.length);
    nuid = nuid + NUID_CHARS.charAt(k);
  }
  return "_INBOX." + nuid + ".";
}

/** cb(err, payload, headers): err undefined on a reply, else "timeout", "no_responders", "closed", ... */
export type RequestCallback = (
  this: void,
  err: string | undefined,
  payload: string | undefined,
  headers: string | undefined,
) => void;

export class Request {
  /** 0 when the slot is free. */
  token = 0;
  cb: RequestCallback | undefined = undefined;
  startedAt = 0;
  timeoutMs = 0;
}

export class RequestTable {
  slots: Request[] = [];
  maxRequests: number;
  count = 0;
  nextToken = 1;

  constructor(maxRequests: number) {
    this.maxRequests = maxRequests;
  }

  /** A slot for a new request, or undefined when maxRequests are pending. */
  add(cb: RequestCallback, now: number, timeoutMs: number): Request | undefined {
    if (this.count === this.slots.length && this.slots.length < this.maxRequests) {
      this.slots.push(new Request());
    }
    for (let i = 0; i < this.slots.length; i++) {
      const r = this.slots[i];
      if (r.token === 0) {
        r.token = this.nextToken;
        this.nextToken = this.nextToken >= 999999999 ? 1 : this.nextToken + 1;
        r.cb = cb;
        r.startedAt = now;
        r.timeoutMs = timeoutMs;
        this.count++;
        return r;
      }
    }
    return undefined;
  }

  find(token: number): Request | undefined {
    if (token <= 0) {
      return undefined;
    }
    for (let i = 0; i < this.slots.length; i++) {
      if (this.slots[i].token === token) {
        return this.slots[i];
      }
    }
    return undefined;
  }

  /** Free the slot without calling back (the request could not be sent). */
  release(r: Request): void {
    if (r.token !== 0) {
      r.token = 0;
      r.cb = undefined;
      this.count--;
    }
  }

  /** Free the slot, then call its callback (which may start a new request). */
  finish(r: Request, err: string | undefined, payload: string | undefined, headers: string | undefined): void {
    const cb = r.cb;
    if (r.token === 0 || cb === undefined) {
      return;
    }
    r.token = 0;
    r.cb = undefined;
    this.count--;
    cb(err, payload, headers);
  }

  /** A message on the inbox: <inbox prefix><token>. A 503 status is "no_responders" (nats-protocol.md §4). */
  reply(subject: string, prefixLength: number, payload: string, headers: string | undefined): void {
    const r = this.find(parseDigits(subject, prefixLength, subject.length));
    if (r === undefined) {
      return;
    }
    if (headers !== undefined && headerStatus(headers) === 503) {
      this.finish(r, Err.NoResponders, undefined, undefined);
    } else {
      this.finish(r, undefined, payload, headers);
    }
  }

  /** Time out every request older than its timeout. */
  expire(now: number, err: string): void {
    for (let i = 0; i < this.slots.length; i++) {
      const r = this.slots[i];
      if (r.token !== 0 && now - r.startedAt >= r.timeoutMs) {
        this.finish(r, err, undefined, undefined);
      }
    }
  }

  failAll(err: string): void {
    for (let i = 0; i < this.slots.length; i++) {
      if (this.slots[i].token !== 0) {
        this.finish(this.slots[i], err, undefined, undefined);
      }
    }
  }
}
