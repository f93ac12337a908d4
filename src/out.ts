// The writer: control lines first, then the bounded out-queue, one write in flight of at most ioChunk()
// bytes (nodemcu.md §4). Queued ops are joined into a write once, so each byte is copied O(1) times.
import { ioChunk, ioJoin, ioWrite } from "./io";
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
/**
 * The out-queue: a ring of maxOps whole ops (slots appended on first use), bounded by maxBytes. An op
 * takes three slots: a message is its head (the PUB line, the same string for the same subject and
 * size), its payload as the application gave it, and CR LF; a SUB, UNSUB or PING is its line and two
 * empty strings. A queued message so costs no string of its own: its bytes are copied once, into the
 * write (ioJoin, which also empties the slots it joined).
 */
let ring: string[] = [];
let head = 0;
let ops = 0;
let queued = 0;
let maxBytes = 0;
let maxOps = 0;
/** The write batch in flight (whole ops or control lines) and how much of it has been handed out. */
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
let slowPublish: (this: unknown, subject: string, payload: string, reply?: string) => boolean;
let drained: (this: void) => void;
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

/**
 * The link is gone: the batch in flight is lost (at-most-once, nats-protocol.md §9) and the control
 * lines belonged to that link; what is still queued waits for the next one.
 */
function cut(): void {
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

export { cut as cutLink };

export function resetOut(bytes: number): void {
  cut();
  ring = [];
  head = 0;
  ops = 0;
  queued = 0;
  maxBytes = bytes;
  // One op per 16 bytes of budget: the shortest (PUB a 0 and two CR LFs) has 12.
  maxOps = Math.floor(bytes / 16) + 1;
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
  control += line;
  lone = false;
}

/** Start the next write unless one is in flight; false when there was nothing to write. */
function pumpOut(): boolean {
  if (writing || flow === Flow.None) {
    return writing;
  }
  const chunk = ioChunk();
  if (written >= batch.length) {
    written = 0;
    batch = control;
    control = "";
    //#if FULL
    batchMsgs = 0;
    //#endif
    if (flow > Flow.Control) {
      // Behind them whole ops from the head, up to one chunk (at least one op in an empty batch), not
      // past the ring's end.
      let i = head;
      let len = batch.length;
      while (i < head + ops && i < maxOps) {
        const at = i * 3;
        const size = ring[at].length + ring[at + 1].length + ring[at + 2].length;
        if (len > 0 && len + size > chunk) {
          break;
        }
        len += size;
        i++;
      }
      //#if FULL
      for (let at = head * 3 + 2; at < i * 3; at += 3) {
        if (ring[at] !== "") {
          batchMsgs++;
        }
      }
      //#endif
      queued -= len - batch.length;
      batch += ioJoin(ring, head * 3, i * 3);
      ops -= i - head;
      head = ops > 0 ? i % maxOps : 0;
    }
    if (batch === "") {
      lone = flow === Flow.All;
      return false;
    }
  }
  const s = batch.length <= chunk ? batch : batch.substring(written, written + chunk);
  written += s.length;
  writing = true;
  ioWrite(s);
  return true;
}

// exported under its name; called here as a local (no lookup in the module's table in Lua)
export { pumpOut as pump };

/**
 * Queue one whole op and start writing; false (nothing queued) when the queue has no room for it. A
 * message is its line, its payload and CR LF (counted in stats); a SUB, UNSUB or PING its line, "" and
 * "" (see ring).
 */
function push(line: string, payload: string, end: string): boolean {
  const size = line.length + payload.length + end.length;
  if (queued + size > maxBytes || ops >= maxOps) {
    //#if FULL
    if (end !== "") {
      counters[C.Dropped]++;
    }
    //#endif
    return false;
  }
  //#if FULL
  if (end !== "") {
    counters[C.OutMsgs]++;
    counters[C.OutBytes] += payload.length;
  }
  //#endif
  const at = ((head + ops) % maxOps) * 3;
  ring[at] = line;
  ring[at + 1] = payload;
  ring[at + 2] = end;
  ops++;
  queued += size;
  lone = false;
  if (!writing) {
    pumpOut();
  }
  return true;
}

export { push as enqueue };

//#if FULL
/**
 * A PING someone waits for (flush, drain, keepalive): after everything queued before it, so its PONG
 * says those went out; PINGs so leave in the order they were asked for. False when the queue is full.
 */
export function queuePing(): boolean {
  return push("PING\r\n", "", "");
}

export function pendingBytes(): number {
  return queued;
}

export function unconfirmedMsgs(): number {
  return unconfirmed;
}
//#endif

/**
 * The adapter's handler of write completion (ioStart): the write in flight has gone, the next one
 * starts; with nothing left to write, conn.idle() (a closing link is closed then).
 */
export function onWritten(this: void): void {
  writing = false;
  if (!lone && !pumpOut()) {
    drained();
  }
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
  return push(pubLine, payload, "\r\n") || refuse("out_full");
}
