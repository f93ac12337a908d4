// Streaming parser for server ops: chunks of bytes in, one handler call per complete op out. Any
// chunking; ops case-insensitive; arguments split on runs of blanks; a bare LF ends a line
// (nats-protocol.md §2). Input of a link that is gone is dropped (linkId() changed).
import * as conn from "./conn";
// the calls made per op or per message, as locals (no lookup in a module's table in Lua)
import { lineLimit, linkId } from "./conn";
//#if SUBS
import { payloadLimit } from "./conn";
import { deliver } from "./subs";
import { digits } from "./util";
//#endif

const enum Phase {
  Line,
  /** An INFO longer than the line limit: its head is kept, the rest dropped up to its line end. */
  InfoTail,
  //#if SUBS
  Payload,
  Skip,
  Terminator,
  //#endif
}

/** Op names in Op order; a trailing space means the name must be followed by a blank. */
const OPS = ["MSG ", "HMSG ", "PING", "PONG", "INFO ", "+OK", "-ERR"];
const enum Op {
  Msg,
  Hmsg,
  Ping,
  Pong,
  Info,
  Ok,
  Err,
  Unknown = -1,
  Partial = -2,
}

/** The link whose bytes buf holds. */
let gen = -1;
/** Unconsumed input is buf[pos..]; a line end is searched for from scan on. */
let buf = "";
let pos = 0;
let scan = 0;
let phase = Phase.Line;
/** The kept head of an over-long INFO (Phase.InfoTail). */
let infoHead = "";
//#if SUBS
// The message whose payload is awaited or skipped, fields in callback order.
let subject = "";
let reply: string | undefined = undefined;
let sid = 0;
let hdrBytes = -1;
let totalBytes = 0;
let skipLeft = 0;
/** Where the next tab of buf is (-1: none after the last search; -2: not searched in this chunk). */
let tabAt = -2;
const argStart = [0, 0, 0, 0, 0, 0];
const argEnd = [0, 0, 0, 0, 0, 0];
//#endif

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Which op s[from, to) starts with. For an incomplete line the answer is Op.Partial while the bytes so
 * far could still become an op, so a bad op is refused as soon as its bytes arrive.
 */
function matchOp(s: string, from: number, to: number, complete: boolean): number {
  let partial = false;
  for (let op = 0; op < OPS.length; op++) {
    const name = OPS[op];
    let i = 0;
    while (i < name.length && from + i < to) {
      const c = s.charCodeAt(from + i);
      const want = name.charCodeAt(i);
      if (!(c === want || (c >= 97 && c - 32 === want) || (want === 32 && isBlank(c)))) {
        break;
      }
      i++;
    }
    if (i === name.length) {
      return op;
    }
    if (from + i === to && !complete) {
      partial = true;
    }
  }
  return partial ? Op.Partial : Op.Unknown;
}

/** s[from, to) without blanks around it. */
function trim(s: string, from: number, to: number): string {
  let a = from;
  let b = to;
  while (a < b && isBlank(s.charCodeAt(a))) {
    a++;
  }
  while (b > a && isBlank(s.charCodeAt(b - 1))) {
    b--;
  }
  return s.substring(a, b);
}

function fail(code: string): boolean {
  buf = "";
  pos = 0;
  scan = 0;
  conn.fail(code);
  return false;
}

//#if SUBS
/**
 * Split buf[from, end) at runs of blanks into argStart/argEnd; the count (6 = too many). Blanks are
 * found by native searches, not byte by byte (bench/README.md: cost per delivery).
 */
function splitArgs(from: number, end: number): number {
  let n = 0;
  let i = from;
  while (i < end && n < 6) {
    if (tabAt < i && tabAt !== -1) {
      // the next tab of buf, searched once per chunk when there is none (nats-server writes none)
      tabAt = buf.indexOf("\t", i);
    }
    const tab = tabAt;
    const space = buf.indexOf(" ", i);
    let e = space < 0 || space > end ? end : space;
    if (tab >= 0 && tab < e) {
      e = tab;
    }
    if (e > i) {
      argStart[n] = i;
      argEnd[n] = e;
      n++;
    }
    i = e + 1;
  }
  return n;
}

function arg(k: number): number {
  return digits(buf, argStart[k], argEnd[k]);
}

/** MSG <subject> <sid> [reply] <#bytes> / HMSG <subject> <sid> [reply] <#hdr> <#total> (§1). */
function msgLine(from: number, end: number, headers: boolean): boolean {
  const n = splitArgs(from, end);
  const sizes = headers ? 2 : 1;
  if ((n !== 2 + sizes && n !== 3 + sizes) || arg(1) < 0) {
    return fail("bad_args");
  }
  sid = arg(1);
  totalBytes = arg(n - 1);
  hdrBytes = headers ? arg(n - 2) : -1;
  if (totalBytes < 0 || (headers && (hdrBytes < 0 || hdrBytes > totalBytes))) {
    return fail("bad_size");
  }
  subject = buf.substring(argStart[0], argEnd[0]);
  reply = n === 3 + sizes ? buf.substring(argStart[2], argEnd[2]) : undefined;
  if (totalBytes > payloadLimit()) {
    conn.onSkipped(subject, sid, totalBytes);
    const avail = buf.length - pos;
    if (avail >= totalBytes) {
      pos += totalBytes;
      phase = Phase.Terminator;
      scan = pos;
      return true;
    }
    skipLeft = totalBytes - avail;
    pos = buf.length;
    scan = pos;
    phase = Phase.Skip;
    return false;
  }
  phase = Phase.Payload;
  return true;
}

function payloadStep(): boolean {
  const p = pos;
  const total = totalBytes;
  if (buf.length - p < total + 2) {
    return false;
  }
  if (buf.charCodeAt(p + total) !== 13 || buf.charCodeAt(p + total + 1) !== 10) {
    return fail("bad_terminator");
  }
  const h = hdrBytes;
  pos = p + total + 2;
  scan = pos;
  phase = Phase.Line;
  const r = reply;
  reply = undefined;
  deliver(subject, buf.substring(p + (h >= 0 ? h : 0), p + total), r, sid, h >= 0 ? buf.substring(p, p + h) : undefined);
  return true;
}

/** The CR LF after a skipped payload. */
function terminatorStep(): boolean {
  const n = buf.length - pos;
  if (n >= 1 && buf.charCodeAt(pos) !== 13) {
    return fail("bad_terminator");
  }
  if (n < 2) {
    return false;
  }
  if (buf.charCodeAt(pos + 1) !== 10) {
    return fail("bad_terminator");
  }
  pos += 2;
  scan = pos;
  phase = Phase.Line;
  return true;
}
//#endif

/** Consume one op from buf; false when more input is needed (or parsing stopped). */
function step(): boolean {
  //#if SUBS
  if (phase === Phase.Payload) {
    return payloadStep();
  }
  if (phase === Phase.Terminator) {
    return terminatorStep();
  }
  //#endif
  const start = pos;
  if (start >= buf.length) {
    return false;
  }
  const limit = lineLimit();
  const lf = buf.indexOf("\n", scan > start ? scan : start);
  if (phase === Phase.InfoTail) {
    pos = lf < 0 ? buf.length : lf + 1;
    scan = pos;
    if (lf >= 0) {
      phase = Phase.Line;
      conn.onInfo(infoHead);
      infoHead = "";
    }
    return lf >= 0;
  }
  // a line's CR LF (or a CR that may be the start of one) is not part of it
  const last = lf < 0 ? buf.length : lf;
  const end = last > start && buf.charCodeAt(last - 1) === 13 ? last - 1 : last;
  if (end - start > limit) {
    // nats-server does not bound INFO (a cluster's connect_urls): the head is kept, the client connects
    // on what it holds (the rest of connect_urls is dropped); any other op is a protocol error.
    if (matchOp(buf, start, start + limit, lf >= 0) !== Op.Info) {
      return fail("line_too_long");
    }
    infoHead = trim(buf, start + 4, start + limit);
    phase = Phase.InfoTail;
    return true;
  }
  if (lf < 0) {
    scan = buf.length;
    return matchOp(buf, start, buf.length, false) === Op.Unknown ? fail("bad_op") : false;
  }
  pos = lf + 1;
  scan = pos;
  const op: number =
    //#if SUBS
    // MSG as nats-server writes it, at once; matchOp for every other op and spelling
    buf.substring(start, start + 4) === "MSG " ? Op.Msg :
    //#endif
    matchOp(buf, start, end, true);
  if (op === Op.Ping) {
    conn.onPing();
  } else if (op === Op.Pong) {
    conn.onPong();
  } else if (op === Op.Info) {
    conn.onInfo(trim(buf, start + 4, end));
  } else if (op === Op.Err) {
    const t = trim(buf, start + 4, end);
    // -ERR 'text': the quotes are not part of the text
    const quoted = t.length >= 2 && t.charCodeAt(0) === 39 && t.charCodeAt(t.length - 1) === 39;
    conn.onErr(quoted ? t.substring(1, t.length - 1) : t);
    //#if SUBS
  } else if (op === Op.Msg || op === Op.Hmsg) {
    return msgLine(start + (op === Op.Msg ? 4 : 5), end, op === Op.Hmsg);
    //#endif
  } else if (op !== Op.Ok) {
    return fail("bad_op");
  }
  return true;
}

/** Feed the next chunk of bytes of the current link, of any size, split anywhere. */
export function feed(chunk: string): void {
  const g = linkId();
  if (g < 0) {
    return;
  }
  let data = chunk;
  if (g !== gen) {
    gen = g;
    buf = "";
    pos = 0;
    scan = 0;
    phase = Phase.Line;
  }
  //#if SUBS
  if (phase === Phase.Skip) {
    // Skipped payload bytes are counted off the chunk, never buffered.
    if (data.length <= skipLeft) {
      skipLeft -= data.length;
      return;
    }
    data = data.substring(skipLeft);
    phase = Phase.Terminator;
  }
  //#endif
  // Keep only the unconsumed tail, then append (dialect.md §5).
  if (pos >= buf.length) {
    buf = data;
    scan = 0;
  } else {
    scan -= pos;
    buf = (pos === 0 ? buf : buf.substring(pos)) + data;
  }
  pos = 0;
  //#if SUBS
  tabAt = -2;
  //#endif
  while (step() && linkId() === gen) {
    // each step consumes one op; a handler may end the link, and then the rest is dropped
  }
  if (pos >= buf.length) {
    // all consumed: the chunk is not kept alive until the next one
    buf = "";
    pos = 0;
    scan = 0;
  }
}
