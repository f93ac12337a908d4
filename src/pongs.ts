// The PINGs in flight on the current link (profile full), oldest first, each with who waits for its
// PONG: a flush() callback, a keepalive (nobody) or drain (its PONG closes the client).
import { addControl, pump, queuePing } from "./out";

/** cb(err): err undefined on success. */
export type DoneCallback = (this: void, err: string | undefined) => void;

function keepalive(_err: string | undefined): void {
  // a keepalive PONG only resets pingsOut (conn.ts)
}

let waiting: DoneCallback[] = [];
/** PINGs that may wait at once: 8 flushes plus the keepalive PINGs allowed out. */
let size = 0;

export function resetPongs(maxPingsOut: number): void {
  waiting = [];
  size = 8 + maxPingsOut;
}

/**
 * A PING behind what is queued, cb (undefined: keepalive) waiting for its PONG; "" or why not
 * ("overflow", "out_full"). Forced (drain's), it goes even so: a full queue is written before the close anyway.
 */
export function ping(cb: DoneCallback | undefined, force: boolean): string {
  if (waiting.length >= size && !force) {
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

/** The oldest PING's PONG arrived. */
export function pongArrived(): void {
  const cb = waiting.shift();
  if (cb !== undefined) {
    cb(undefined);
  }
}

/** The link is gone or the client closed: every PING's waiter gets err. */
export function failPongs(err: string): void {
  const w = waiting;
  waiting = [];
  for (let i = 0; i < w.length; i++) {
    w[i](err);
  }
}
