// The writer: control lines first, then the bounded out-queue, one write in flight of at most ioChunk()
// bytes (nodemcu.md §4). Queued ops are joined into a write once, so each byte is copied O(1) times.
import { ioChunk, ioJoin, ioTrim, ioWrite } from "./io";

/** What the current link may carry: nothing (no socket), control lines (handshake), everything. */
export const enum Flow {
  None,
  Control,
  All,
}

let flow = Flow.None;
/** CONNECT, PING, PONG and resubscriptions of the current link: written before the queue. */
let control = "";
/** Ops whose slots the ring keeps between bursts. */
const KEPT_OPS = 16;
/**
 * The out-queue: a ring of whole ops, grown on demand up to maxOps, bounded by maxBytes. An op takes
 * three slots: a message is its head (the PUB line, the same string for the same subject and size), its
 * payload as the application gave it, and CR LF; a SUB or UNSUB is its line and two empty strings. A
 * queued message so costs no string of its own: its bytes are copied once, into the write.
 */
let ring: string[] = [];
let head = 0;
let ops = 0;
let queuedBytes = 0;
let maxBytes = 0;
let maxOps = 0;
/** The write batch in flight and how much of it has been handed to the adapter. */
let batch = "";
let written = 0;
let writing = false;
//#if FULL
/** Publishes in the batch in flight: a lost link makes them "unconfirmed" (stats). */
let batchMsgs = 0;
let unconfirmed = 0;
//#endif

export function resetOut(bytes: number): void {
  flow = Flow.None;
  control = "";
  ring = [];
  head = 0;
  ops = 0;
  queuedBytes = 0;
  maxBytes = bytes;
  // One slot per 16 bytes of budget: the shortest op (PUB a 0 plus CR LFs) has 12.
  maxOps = Math.floor(bytes / 16) + 1;
  batch = "";
  written = 0;
  writing = false;
  //#if FULL
  unconfirmed = 0;
  //#endif
}

export function setFlow(f: Flow): void {
  flow = f;
}

export function addControl(line: string): void {
  control = control + line;
}

export function pendingBytes(): number {
  return queuedBytes;
}

/** Whole ops from the head of the ring, up to one chunk (at least one op), taken off the ring. */
function takeOps(chunk: number): string {
  // a batch does not wrap around the end of the ring
  const end = Math.floor(ring.length / 3);
  let n = 0;
  let len = 0;
  if (queuedBytes <= chunk && head + ops <= end) {
    // all of it fits (the common case of a burst): no need to measure op by op
    n = ops;
    len = queuedBytes;
  }
  while (n < ops && head + n < end) {
    const at = (head + n) * 3;
    const size = ring[at].length + ring[at + 1].length + ring[at + 2].length;
    if (n > 0 && len + size > chunk) {
      break;
    }
    len += size;
    n++;
  }
  const s = ioJoin(ring, head * 3, (head + n) * 3);
  //#if FULL
  batchMsgs = 0;
  //#endif
  // Payloads are let go; lines (mostly one kept string) and ends (constants) wait to be overwritten.
  for (let i = head * 3 + 1; i < (head + n) * 3; i += 3) {
    //#if FULL
    if (ring[i + 1] !== "") {
      batchMsgs++;
    }
    //#endif
    ring[i] = "";
  }
  head = (head + n) % maxOps;
  ops -= n;
  queuedBytes -= len;
  if (ops === 0) {
    head = 0;
    // The queue is empty: slots beyond a few ops' are given back, so a burst leaves no high-water of
    // empty slots (each is a JsVar on Espruino), and a steady stream reuses the same few.
    ioTrim(ring, KEPT_OPS * 3);
  }
  return s;
}

/** Start the next write unless one is in flight; false when there was nothing to write. */
export function pump(): boolean {
  if (writing || flow === Flow.None) {
    return writing;
  }
  if (written >= batch.length) {
    if (control !== "") {
      batch = control;
      control = "";
      //#if FULL
      batchMsgs = 0;
      //#endif
    } else if (flow === Flow.All && ops > 0) {
      batch = takeOps(ioChunk());
    } else {
      return false;
    }
    written = 0;
  }
  const chunk = ioChunk();
  const s = written === 0 && batch.length <= chunk ? batch : batch.substring(written, written + chunk);
  written += s.length;
  writing = true;
  ioWrite(s);
  return true;
}

/**
 * Queue one whole op and start writing; false when the queue has no room for it (then nothing is
 * queued). A message is line, payload and CR LF; a SUB or UNSUB is line, "" and "" (see ring).
 */
export function enqueue(line: string, payload: string, end: string): boolean {
  const size = line.length + payload.length + end.length;
  if (queuedBytes + size > maxBytes || ops >= maxOps) {
    return false;
  }
  if (ops === 0 && flow === Flow.All && !writing && control === "" && written >= batch.length) {
    // Nothing is ahead of it: the op is the next batch (what takeOps() would make of it).
    batch = line + payload + end;
    written = 0;
    //#if FULL
    batchMsgs = end !== "" ? 1 : 0;
    //#endif
    pump();
    return true;
  }
  // at is at most ring.length: slots in use again, or the next three appended
  const at = ((head + ops) % maxOps) * 3;
  ring[at] = line;
  ring[at + 1] = payload;
  ring[at + 2] = end;
  ops++;
  queuedBytes += size;
  if (!writing) {
    pump();
  }
  return true;
}

//#if FULL
/**
 * A PING someone waits for (flush, drain, keepalive): after everything queued before it, so its PONG
 * says those went out; PINGs so leave in the order they were asked for. False when the queue is full.
 */
export function queuePing(): boolean {
  if (ops === 0) {
    addControl("PING\r\n");
    pump();
    return true;
  }
  return enqueue("PING\r\n", "", "");
}
//#endif

/** The adapter says the write in flight has gone: the next one starts; false when nothing is left to write. */
export function onWritten(): boolean {
  writing = false;
  if (written >= batch.length) {
    // all of it has gone: the batch is not kept alive until the next one
    batch = "";
    written = 0;
  }
  return pump();
}

/**
 * The link is gone: the batch in flight is lost (at-most-once, nats-protocol.md §9) and the control
 * lines belonged to that link; what is still queued waits for the next one.
 */
export function cutLink(): void {
  //#if FULL
  if (writing || written < batch.length) {
    unconfirmed += batchMsgs;
  }
  batchMsgs = 0;
  //#endif
  flow = Flow.None;
  control = "";
  batch = "";
  written = 0;
  writing = false;
}

//#if FULL
export function unconfirmedMsgs(): number {
  return unconfirmed;
}
//#endif
