// The PINGs in flight on the current link (profile full) and who waits for each PONG, in order:
// keepalive (nobody), flush() callbacks, and drain's PING, whose PONG closes the client.

/** cb(err): err undefined on success. */
export type DoneCallback = (this: void, err: string | undefined) => void;

function keepalive(_err: string | undefined): void {
  // a keepalive PONG only resets pingsOut (conn.ts)
}

let ring: DoneCallback[] = [];
let head = 0;
let count = 0;
let size = 0;
let drainCb: DoneCallback | undefined = undefined;
/** Ring index of drain's PING; -1 when none is out. */
let drainAt = -1;

export function resetPongs(maxPingsOut: number): void {
  ring = [];
  head = 0;
  count = 0;
  // flush() callbacks waiting at once: 8, plus the keepalive PINGs allowed out
  size = 8 + maxPingsOut;
  drainCb = undefined;
  drainAt = -1;
}

/** Whether another PING can be matched to its PONG. */
export function pongRoom(): boolean {
  return count < size;
}

/** A PING went out (cb: a flush's callback; undefined: keepalive). */
export function pingSent(cb: DoneCallback | undefined): void {
  const at = (head + count) % size;
  const f = cb ?? keepalive;
  if (at === ring.length) {
    ring.push(f);
  } else {
    ring[at] = f;
  }
  count++;
}

export function drainPingSent(cb: DoneCallback): void {
  drainCb = cb;
  drainAt = (head + count) % size;
  pingSent(undefined);
}

/** The oldest PING's PONG arrived; true when it was drain's. */
export function pongArrived(): boolean {
  if (count === 0) {
    return false;
  }
  const at = head;
  const cb = ring[at];
  ring[at] = keepalive;
  head = (head + 1) % size;
  count--;
  if (at === drainAt) {
    drainAt = -1;
    return true;
  }
  cb(undefined);
  return false;
}

/** The link is gone or the client closed: every waiting flush gets err. */
export function failPongs(err: string): void {
  while (count > 0) {
    const cb = ring[head];
    ring[head] = keepalive;
    head = (head + 1) % size;
    count--;
    cb(err);
  }
  head = 0;
  drainAt = -1;
}

/** Drain ended (err undefined: the client closed after it). */
export function drainDone(err: string | undefined): void {
  const cb = drainCb;
  drainCb = undefined;
  if (cb !== undefined) {
    cb(err);
  }
}
