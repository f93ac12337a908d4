// The writer: control lines first, then the bounded out-queue, one write in flight of at most ioChunk()
// bytes (nodemcu.md §4). Queued ops are joined into a write once, so each byte is copied O(1) times.
import { ioChunk, ioJoin, ioTrim, ioWrite } from "./io";
import { refuse } from "./status";

/**
 * What the current link may carry: nothing (no socket), control lines (handshake), everything; Last:
 * everything, and then the link closes (close()): onWritten() then tells conn once nothing is left.
 */
export const enum Flow {
  None,
  Control,
  All,
  Last,
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
/**
 * Nothing is queued, pending or half-written and the link carries everything: with no write in flight,
 * a message goes out at once as its own write (publish()); with one, that write has nothing behind it,
 * so its "written" needs no look at the queue. Whatever adds to the queue or changes the flow clears it.
 */
let lone = false;
/**
 * The PUB line conn.publish() made last for a publish without reply or headers, its subject and the
 * size of its payload (-1: none): a board publishes the same few subjects with payloads of the same
 * size again and again (bench/README.md: cost per publish).
 */
let lineSubject = "";
let lineSize = -1;
let pubLine = "";
/** conn.publish(), for the publishes publish() does not take as they are; conn.idle(). */
let slowPublish: (this: unknown, subject: string, payload: string, reply?: string) => boolean = () => false;
let drained: (this: void) => void = () => undefined;
//#if FULL
/** stats() counters (conn.ts), by index: most are counted here. */
export const enum C {
  OutMsgs,
  OutBytes,
  Reconnects,
  Dropped,
  Skipped,
}
export const counters = [0, 0, 0, 0, 0];
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
  lone = false;
  lineSize = -1;
  //#if FULL
  unconfirmed = 0;
  //#endif
}

/** What the writer calls back: conn.publish() for a publish it does not take, conn.idle(). */
export function useConn(publishSlow: (this: unknown, subject: string, payload: string, reply?: string) => boolean, idle: (this: void) => void): void {
  slowPublish = publishSlow;
  drained = idle;
}

/**
 * conn.publish() made this line for a publish without reply or headers. Kept only when such a message
 * fits one write (ioChunk(), the board's constant) and the queue's bound: the others are rare and big.
 */
export function keepLine(subject: string, size: number, line: string): void {
  const bytes = line.length + size + 2;
  lineSubject = subject;
  lineSize = bytes > maxBytes || bytes > ioChunk() ? -1 : size;
  pubLine = line;
}

/** The kept line may no longer be sent as it is (a new payload limit, a closing connection). */
export function dropLine(): void {
  lineSize = -1;
}

export function setFlow(f: Flow): void {
  flow = f;
  lone = false;
}

export function addControl(line: string): void {
  control = control + line;
  lone = false;
}

export function pendingBytes(): number {
  return queuedBytes;
}

/** Whole ops from the head of the ring, up to one chunk (at least one op), taken off the ring. */
function takeOps(chunk: number): string {
  // a batch does not wrap around the end of the ring (of slots ops * 3, a multiple of 3)
  const slots = ring.length;
  let n = 0;
  let len = 0;
  if (queuedBytes <= chunk && (head + ops) * 3 <= slots) {
    // all of it fits (the common case of a burst): no need to measure op by op
    n = ops;
    len = queuedBytes;
  }
  while (n < ops && (head + n) * 3 < slots) {
    const at = (head + n) * 3;
    const size = ring[at].length + ring[at + 1].length + ring[at + 2].length;
    if (n > 0 && len + size > chunk) {
      break;
    }
    len += size;
    n++;
  }
  const stop = (head + n) * 3;
  const s = ioJoin(ring, head * 3, stop);
  //#if FULL
  batchMsgs = 0;
  //#endif
  // Payloads are let go; lines (mostly one kept string) and ends (constants) wait to be overwritten.
  for (let i = head * 3 + 1; i < stop; i += 3) {
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
function pumpOut(): boolean {
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
    } else if (flow >= Flow.All && ops > 0) {
      batch = takeOps(ioChunk());
    } else {
      lone = flow === Flow.All;
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

// exported under its name; called here as a local (no lookup in the module's table in Lua)
export { pumpOut as pump };

/**
 * Queue one whole op and start writing; false when the queue has no room for it (then nothing is
 * queued). A message is line, payload and CR LF; a SUB or UNSUB is line, "" and "" (see ring).
 */
export function enqueue(line: string, payload: string, end: string): boolean {
  const size = line.length + payload.length + end.length;
  if (queuedBytes + size > maxBytes || ops >= maxOps) {
    return false;
  }
  // The op's slots are at - 1, at, at + 1 (at - 1 is at most ring.length: slots in use again, or
  // the next three appended); so written, Lua's indices need one addition fewer.
  const at = ((head + ops) % maxOps) * 3 + 1;
  ring[at - 1] = line;
  ring[at] = payload;
  ring[at + 1] = end;
  ops++;
  queuedBytes += size;
  lone = false;
  if (!writing) {
    pumpOut();
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
    pumpOut();
    return true;
  }
  return enqueue("PING\r\n", "", "");
}
//#endif

/**
 * The adapter's handler of write completion (ioStart): the write in flight has gone, the next one
 * starts; with nothing left to write, conn.idle() (a closing link is closed then).
 */
export function onWritten(this: void): void {
  writing = false;
  if (lone) {
    return;
  }
  if (written >= batch.length) {
    // all of it has gone: the batch is not kept alive until the next one
    batch = "";
    written = 0;
  }
  if (!pumpOut()) {
    drained();
  }
}

/** One message, its line, payload and CR LF, queued or written; false ("out_full") without room. */
export function sendMsg(line: string, payload: string): boolean {
  if (!enqueue(line, payload, "\r\n")) {
    //#if FULL
    counters[C.Dropped]++;
    //#endif
    return refuse("out_full");
  }
  //#if FULL
  counters[C.OutMsgs]++;
  counters[C.OutBytes] += payload.length;
  //#endif
  return true;
}

/**
 * publish(subject, payload, reply?) of the connection: a publish like the last one conn.publish()
 * made a line for needs no check but the payload's type and size, and with nothing queued or in
 * flight it is written at once, in this call. Any other publish is conn.publish()'s.
 */
export function publish(this: unknown, subject: string, payload: string, reply?: string): boolean {
  if (subject !== lineSubject || reply !== undefined || typeof payload !== "string" || payload.length !== lineSize) {
    return slowPublish(subject, payload, reply);
  }
  if (lone && !writing) {
    writing = true;
    //#if FULL
    batchMsgs = 1;
    counters[C.OutMsgs]++;
    counters[C.OutBytes] += lineSize;
    //#endif
    ioWrite(pubLine + payload + "\r\n");
    return true;
  }
  if (!enqueue(pubLine, payload, "\r\n")) {
    //#if FULL
    counters[C.Dropped]++;
    //#endif
    return refuse("out_full");
  }
  //#if FULL
  counters[C.OutMsgs]++;
  counters[C.OutBytes] += lineSize;
  //#endif
  return true;
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
  lone = false;
}

//#if FULL
export function unconfirmedMsgs(): number {
  return unconfirmed;
}
//#endif
