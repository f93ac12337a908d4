// The writer: control lines first, then the bounded out-queue, one write in flight of at most ioChunk()
// bytes (nodemcu.md §4). Queued ops are joined into a write once, so each byte is copied O(1) times.
import { ioChunk, ioJoin, ioWrite } from "./io";
import { refuse } from "./status";
import { isSubject } from "./util";

/** Room for subject and reply in one control line of nats-server's 4,096 bytes (§5). */
const enum Line {
  MaxArgsBytes = 4064,
}

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

/** (conn.ts: a socket is open while the flow is not None) */
export let flow = Flow.None;
/** CONNECT, PING, PONG and resubscriptions of the current link: written before the queue. */
let control = "";
/**
 * The out-queue: a ring of whole ops (slots appended on first use), bounded by maxBytes. An op
 * takes three slots: a message is its head (the PUB line, the same string for the same subject and
 * size), its payload as the application gave it, and CR LF; a SUB, UNSUB or PING is its line and two
 * empty strings. A queued message so costs no string of its own: its bytes are copied once, into the
 * write (ioJoin, which also empties the slots it joined). Counted in slots: the first op's at head,
 * used of the ring's slots in use (three per op).
 */
let ring: string[] = [];
let head = 0;
let used = 0;
let slots = 0;
let queued = 0;
let maxBytes = 0;
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
 * The PUB line send() made last for a publish without reply or headers, its subject and the size of its
 * payload (-1: none): a board publishes the same few subjects with payloads of the same size again and
 * again (bench/README.md: cost per publish).
 */
let lineSubject = "";
let lineSize = -1;
let pubLine = "";
/** The bytes of such a message: the line, the payload and CR LF. */
let lineBytes = 0;
/**
 * The last subject that passed isSubject; at first one that would pass ("" would not: the fuzzer).
 */
let okSubject = "_";
/**
 * The largest payload either way (conn.ts: the option, or less when the server says so); -1 while
 * closing or closed: publishes are refused ("closed").
 */
let payloadMax = -1;
/** conn.writeOut(), which closes a closing link. */
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

export function resetOut(bytes: number, payload: number): void {
  cut();
  payloadMax = payload;
  ring = [];
  head = 0;
  used = 0;
  queued = 0;
  // at least room for a keepalive PING (and a SUB of a short subject) on an idle link
  maxBytes = Math.max(bytes, 16);
  // One op per 16 bytes of budget: the shortest (PUB a 0 and two CR LFs) has 12.
  slots = (Math.floor(maxBytes / 16) + 1) * 3;
  lineSize = -1;
  //#if FULL
  unconfirmed = 0;
  //#endif
}

/** What the writer calls when nothing is left to write on a closing link (Flow.Last): conn.writeOut(). */
export function useConn(done: (this: void) => void): void {
  drained = done;
}

/** The largest payload either way (the parser's limit, through conn.ts). */
export function payloadLimit(): number {
  return payloadMax;
}

//#if FULL
/** A new payload limit: the PUB line kept was checked against the old one. */
export function setPayloadMax(n: number): void {
  payloadMax = n;
  lineSize = -1;
}
//#endif

/** The connection is closing: no more publishes, and the kept line may no longer be sent. */
export function shutOut(): void {
  payloadMax = -1;
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
      // past the ring's end; all of them at once when they fit (a burst: no look at each op, which
      // costs a board ~1,000 Lua instructions per publish, bench/README.md).
      let i = head;
      let len = batch.length;
      if (len + queued <= chunk && head + used <= slots) {
        i += used;
        len += queued;
      }
      while (i < head + used && i < slots) {
        const size = ring[i].length + ring[i + 1].length + ring[i + 2].length;
        if (len > 0 && len + size > chunk) {
          break;
        }
        len += size;
        i += 3;
      }
      //#if FULL
      for (let at = head + 2; at < i; at += 3) {
        if (ring[at] !== "") {
          batchMsgs++;
        }
      }
      //#endif
      queued -= len - batch.length;
      batch += ioJoin(ring, head, i);
      used -= i - head;
      head = used > 0 ? i % slots : 0;
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
  if (queued + size > maxBytes || used >= slots) {
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
  const at = (head + used) % slots;
  ring[at] = line;
  ring[at + 1] = payload;
  ring[at + 2] = end;
  used += 3;
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
 * starts; with nothing left to write on a closing link, conn.writeOut() closes it.
 */
export function onWritten(this: void): void {
  writing = false;
  if (!lone && !pumpOut() && flow === Flow.Last) {
    drained();
  }
}

/**
 * publish(subject, payload, reply?): true if queued, false if refused (lastError() says why). The op is
 * queued whole: PUB, or HPUB with a header block (profile full: hpublish and the connection's publish
 * wrap this, so a board's application cannot pass one). A PUB line without reply or headers is kept
 * for the next publish like it (publish()) when such a message fits one write (ioChunk(), the board's
 * constant) and the queue's bound: the others are rare and big.
 */
export function send(this: unknown, subject: string, payload: string, reply?: string, headers?: string): boolean {
  let h = 0;
  //#if FULL
  h = headers === undefined ? 0 : headers.length;
  //#endif
  // a reply is never "" here: that fails isSubject
  const r = reply ?? "";
  const why =
    payloadMax < 0 ? "closed"
    : subject !== okSubject && !isSubject(subject) ? "subject"
    : reply !== undefined && !isSubject(reply) ? "reply"
    : typeof payload !== "string" ? "payload"
    // nats-server closes the connection on a longer control line (nats-protocol.md §5)
    : subject.length + r.length > Line.MaxArgsBytes ? "line_too_long"
    : payload.length + h > payloadMax ? "payload_too_large"
    : "";
  if (why !== "") {
    return refuse(why);
  }
  const size = payload.length + h;
  // strings that exist already, no ' reply ' made in between
  let line = "PUB " + subject + " " + r + (r === "" ? "" : " ") + String(size) + "\r\n";
  //#if FULL
  if (headers !== undefined) {
    line = "HPUB " + subject + " " + r + (r === "" ? "" : " ") + String(h) + " " + String(size) + "\r\n" + headers;
  }
  //#endif
  okSubject = subject;
  if (r === "" && headers === undefined) {
    const bytes = line.length + size + 2;
    lineSubject = subject;
    lineSize = bytes > maxBytes || bytes > ioChunk() ? -1 : size;
    lineBytes = bytes;
    pubLine = line;
  }
  // The op is queued as its line, the payload as given and CR LF: no string of its own.
  return push(line, payload, "\r\n") || refuse("out_full");
}

/**
 * publish(subject, payload, reply?) of the connection: a publish like the last one send() kept a line
 * for needs no check but the payload's type and size, and with nothing queued or in flight it is
 * written at once, in this call. Any other publish is send()'s.
 */
export function publish(this: unknown, subject: string, payload: string, reply?: string): boolean {
  if (subject !== lineSubject || reply !== undefined || typeof payload !== "string" || payload.length !== lineSize) {
    return send(subject, payload, reply);
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
  // queued as push() queues it, without the call: a burst's cost per publish on a board (bench/README.md)
  if (queued + lineBytes > maxBytes || used >= slots) {
    //#if FULL
    counters[C.Dropped]++;
    //#endif
    return refuse("out_full");
  }
  //#if FULL
  counters[C.OutMsgs]++;
  counters[C.OutBytes] += lineSize;
  //#endif
  const at = (head + used) % slots;
  ring[at] = pubLine;
  ring[at + 1] = payload;
  ring[at + 2] = "\r\n";
  used += 3;
  queued += lineBytes;
  lone = false;
  if (!writing) {
    pumpOut();
  }
  return true;
}
