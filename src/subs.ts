// The subscription table (profiles pubsub and full): at most maxSubs slots in parallel arrays, created on
// first need and reused; a delivery finds its subscription by its sid.
import { addControl, enqueue } from "./out";
import { refuse } from "./status";
import { isCount, isToken } from "./util";

/** cb(subject, payload, reply, sid, headers): reply and headers are undefined when absent. */
export type MsgCallback = (
  this: void,
  subject: string,
  payload: string,
  reply: string | undefined,
  sid: number,
  headers: string | undefined,
) => void;

/** Room for subject and queue in one control line of nats-server's 4,096 bytes (§5). */
const MAX_ARGS_BYTES = 4064;

function noCallback(): void {
  // a free slot's callback (arrays hold no undefined, dialect.md §4)
}

/** 0 marks a free slot. */
let sids: number[] = [];
let subjects: string[] = [];
/** Queue group, "" for none. */
let queues: string[] = [];
let callbacks: MsgCallback[] = [];
/** Auto-unsubscribe after this many messages in total; 0 = no limit. */
let maxes: number[] = [];
let received: number[] = [];
let maxSubs = 0;
let nextSid = 1;
/** Whether SUB and UNSUB go out now (a link is ready); otherwise the next link subscribes the table. */
let online = false;
/** Why subscribe() is refused now: "draining", "closed", or "" when it is not (set by conn.ts). */
let refusal = "";
//#if FULL
export let inMsgs = 0;
export let inBytes = 0;
//#endif

export function resetSubs(max: number): void {
  sids = [];
  subjects = [];
  queues = [];
  callbacks = [];
  maxes = [];
  received = [];
  maxSubs = max;
  nextSid = 1;
  online = false;
  refusal = "";
  //#if FULL
  inMsgs = 0;
  inBytes = 0;
  //#endif
}

function subLine(i: number): string {
  const q = queues[i];
  return "SUB " + subjects[i] + " " + (q === "" ? "" : q + " ") + String(sids[i]) + "\r\n";
}

function unsubLine(sid: number, max: number): string {
  return "UNSUB " + String(sid) + (max > 0 ? " " + String(max) : "") + "\r\n";
}

/** A link became ready: every subscription again, with UNSUB for its remaining max (nats-protocol.md §9). */
export function resubscribe(): void {
  online = true;
  for (let i = 0; i < sids.length; i++) {
    if (sids[i] !== 0) {
      addControl(subLine(i) + (maxes[i] > 0 ? unsubLine(sids[i], maxes[i] - received[i]) : ""));
    }
  }
}

export function setOffline(): void {
  online = false;
}

export function refuseSubscribe(code: string): void {
  refusal = code;
}

function slotOf(sid: number): number {
  for (let i = 0; i < sids.length; i++) {
    if (sids[i] === sid && sid !== 0) {
      return i;
    }
  }
  return -1;
}

function free(i: number): void {
  sids[i] = 0;
  subjects[i] = "";
  queues[i] = "";
  callbacks[i] = noCallback;
}

/** A subscription whose arguments are valid; its sid, or 0 when refused. */
export function addSub(subject: string, cb: MsgCallback, queue: string | undefined, max: number): number {
  let i = -1;
  for (let k = 0; k < sids.length && i < 0; k++) {
    if (sids[k] === 0) {
      i = k;
    }
  }
  if (i < 0 && sids.length < maxSubs) {
    sids.push(0);
    subjects.push("");
    queues.push("");
    callbacks.push(noCallback);
    maxes.push(0);
    received.push(0);
    i = sids.length - 1;
  }
  if (i < 0) {
    refuse("subs_full");
    return 0;
  }
  sids[i] = nextSid;
  subjects[i] = subject;
  queues[i] = queue ?? "";
  callbacks[i] = cb;
  maxes[i] = max;
  received[i] = 0;
  if (online && !enqueue(subLine(i) + (max > 0 ? unsubLine(nextSid, max) : ""), "", "")) {
    free(i);
    refuse("out_full");
    return 0;
  }
  nextSid++;
  return sids[i];
}

/** subscribe(subject, cb, queue?, max?): the sid (> 0), or 0 when refused (lastError() says why). */
export function subscribe(this: unknown, subject: string, cb: MsgCallback, queue?: string, max?: number): number {
  let e = refusal;
  if (e !== "") {
    // refused as it is
  } else if (!isToken(subject)) {
    e = "subject";
  } else if (typeof cb !== "function") {
    e = "callback";
  } else if (queue !== undefined && !isToken(queue)) {
    e = "queue";
  } else if (max !== undefined && !isCount(max)) {
    e = "max";
  } else if (subject.length + (queue ?? "").length > MAX_ARGS_BYTES) {
    // nats-server closes the connection on a longer control line (nats-protocol.md §5)
    e = "line_too_long";
  }
  if (e !== "") {
    refuse(e);
    return 0;
  }
  return addSub(subject, cb, queue, max ?? 0);
}

/** unsubscribe(sid, max?): now, or after max messages in total; false for an unknown sid. */
export function unsubscribe(this: unknown, sid: number, max?: number): boolean {
  const i = typeof sid === "number" ? slotOf(sid) : -1;
  if (i < 0) {
    return refuse("sid");
  }
  if (max !== undefined && !isCount(max)) {
    return refuse("max");
  }
  const later = max !== undefined && max > received[i];
  if (later) {
    maxes[i] = max ?? 0;
  } else {
    free(i);
  }
  // Offline the table is enough: the next link subscribes only what is left (nats-protocol.md §9).
  if (online && !enqueue(unsubLine(sid, later ? maxes[i] : 0), "", "")) {
    return refuse("out_full");
  }
  return true;
}

/** A message from the parser for sid; the callback gets (subject, payload, reply, sid, headers). */
export function deliver(subject: string, payload: string, reply: string | undefined, sid: number, headers: string | undefined): void {
  const i = slotOf(sid);
  // Nothing is delivered before the link is ready: the server has no SUB of this link yet.
  if (i < 0 || !online) {
    return;
  }
  //#if FULL
  inMsgs++;
  inBytes += payload.length;
  //#endif
  received[i]++;
  const cb = callbacks[i];
  if (maxes[i] > 0 && received[i] >= maxes[i]) {
    free(i);
  }
  cb(subject, payload, reply, sid, headers);
}

//#if FULL
/** UNSUB for every subscription (drain); the table keeps them until their messages stop. */
export function unsubscribeAll(): void {
  for (let i = 0; i < sids.length; i++) {
    if (sids[i] !== 0) {
      addControl(unsubLine(sids[i], 0));
    }
  }
}
//#endif
