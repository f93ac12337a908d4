// The PINGs in flight on the current link (profile full), oldest first, each with who waits for its
// PONG: a flush() callback, a keepalive (nobody) or drain (its PONG closes the client).
import { addControl, pump, queuePing } from "./out";

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
