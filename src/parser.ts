// Streaming parser for server ops: chunks of bytes in, one sink call per complete op out.
import { Ch, isBlank, parseDigits, trimBlanks, upper } from "./chars";
import { ProtoErr } from "./errors";
import { MAX_OP_ARGS } from "./limits";

/** Receives parsed ops. Called synchronously from Parser.feed; must not call feed again. */
export interface ParserSink {
  onInfo(this: ParserSink, json: string): void;
  /** reply and headers are undefined when absent; headers is the raw block for HMSG. */
  onMsg(
    this: ParserSink,
    subject: string,
    sid: number,
    reply: string | undefined,
    payload: string,
    headers: string | undefined,
  ): void;
  onPing(this: ParserSink): void;
  onPong(this: ParserSink): void;
  onOk(this: ParserSink): void;
  onErr(this: ParserSink, text: string): void;
  /** A message whose total size exceeds maxPayloadBytes: dropped without being buffered. */
  onSkipped(this: ParserSink, subject: string, sid: number, bytes: number): void;
  onProtocolError(this: ParserSink, code: string): void;
}

const enum Phase {
  Line,
  Payload,
  Skip,
  Terminator,
  Dead,
}

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

// Op names in Op order; ops with arguments need a space or tab after the name. PING, PONG and +OK
// ignore anything up to LF (nats-protocol.md §2).
const OP_NAMES = ["MSG", "HMSG", "PING", "PONG", "INFO", "+OK", "-ERR"];
const OP_NEEDS_BLANK = [true, true, false, false, true, false, false];

/**
 * Which op s[from, to) starts with, case-insensitively. For an incomplete line (complete false) the
 * answer is Op.Partial while the bytes so far are a prefix of some op; otherwise Op.Unknown.
 */
function matchOp(s: string, from: number, to: number, complete: boolean): number {
  const avail = to - from;
  let partial = false;
  for (let op = 0; op < OP_NAMES.length; op++) {
    const name = OP_NAMES[op];
    const n = name.length;
    let i = 0;
    while (i < n && i < avail && upper(s.charCodeAt(from + i)) === name.charCodeAt(i)) {
      i++;
    }
    if (i === n) {
      if (!OP_NEEDS_BLANK[op] || (avail > n && isBlank(s.charCodeAt(from + n)))) {
        return op;
      }
      if (avail === n && !complete) {
        partial = true;
      }
    } else if (i === avail && !complete) {
      partial = true;
    }
  }
  return partial ? Op.Partial : Op.Unknown;
}

/** -ERR text: 'Unknown Protocol Operation' → Unknown Protocol Operation (quotes optional). */
function unquote(s: string): string {
  const n = s.length;
  if (n >= 2 && s.charCodeAt(0) === Ch.Apostrophe && s.charCodeAt(n - 1) === Ch.Apostrophe) {
    return s.substring(1, n - 1);
  }
  return s;
}

export class Parser {
  sink: ParserSink;
  maxLineBytes: number;
  maxPayloadBytes: number;

  /** Unconsumed input is buf[pos..]; a line end is searched for from scan on. */
  buf = "";
  pos = 0;
  scan = 0;
  phase = Phase.Line;

  // The message whose payload is awaited or skipped.
  subject = "";
  sid = 0;
  reply: string | undefined = undefined;
  hdrBytes = -1;
  totalBytes = 0;
  skipLeft = 0;

  // Argument boundaries of the current control line.
  argStart: number[] = [];
  argEnd: number[] = [];

  constructor(sink: ParserSink, maxLineBytes: number, maxPayloadBytes: number) {
    this.sink = sink;
    this.maxLineBytes = maxLineBytes;
    this.maxPayloadBytes = maxPayloadBytes;
    for (let i = 0; i <= MAX_OP_ARGS; i++) {
      this.argStart.push(0);
      this.argEnd.push(0);
    }
  }

  /** Forget all input and state: call on every new connection. */
  reset(): void {
    this.buf = "";
    this.pos = 0;
    this.scan = 0;
    this.phase = Phase.Line;
    this.subject = "";
    this.reply = undefined;
  }

  /** Feed the next chunk of bytes, of any size and split anywhere ("" resumes after a callback raised). */
  feed(chunk: string): void {
    if (this.phase === Phase.Dead) {
      return;
    }
    let data = chunk;
    if (this.phase === Phase.Skip && data.length > 0) {
      // Skipped payload bytes are counted off the chunk, never buffered.
      if (data.length <= this.skipLeft) {
        this.skipLeft -= data.length;
        return;
      }
      data = data.substring(this.skipLeft);
      this.skipLeft = 0;
      this.phase = Phase.Terminator;
    }
    // Keep only the unconsumed tail, then append (dialect.md §5).
    if (this.pos >= this.buf.length) {
      this.buf = data;
      this.scan = 0;
    } else if (this.pos === 0) {
      this.buf = this.buf + data;
    } else {
      this.scan -= this.pos;
      this.buf = this.buf.substring(this.pos) + data;
    }
    this.pos = 0;
    while (this.step()) {
      // each step consumes one op or reports that more input is needed
    }
  }

  private fail(code: string): boolean {
    this.phase = Phase.Dead;
    this.buf = "";
    this.pos = 0;
    this.scan = 0;
    this.sink.onProtocolError(code);
    return false;
  }

  /** Consume one op from buf; false when more input is needed (or parsing stopped). */
  private step(): boolean {
    switch (this.phase) {
      case Phase.Line:
        return this.stepLine();
      case Phase.Payload:
        return this.stepPayload();
      case Phase.Terminator:
        return this.stepTerminator();
      default:
        return false;
    }
  }

  private stepLine(): boolean {
    const b = this.buf;
    const start = this.pos;
    if (start >= b.length) {
      return false;
    }
    const from = this.scan > start ? this.scan : start;
    const lf = b.indexOf("\n", from);
    if (lf < 0) {
      this.scan = b.length;
      let pending = b.length - start;
      if (b.charCodeAt(b.length - 1) === Ch.CR) {
        pending--;
      }
      if (pending > this.maxLineBytes) {
        return this.fail(ProtoErr.LineTooLong);
      }
      // Reject a bad op as soon as its bytes arrive instead of waiting for a line end.
      if (matchOp(b, start, b.length, false) === Op.Unknown) {
        return this.fail(ProtoErr.BadOp);
      }
      return false;
    }
    let end = lf;
    if (end > start && b.charCodeAt(end - 1) === Ch.CR) {
      end--;
    }
    if (end - start > this.maxLineBytes) {
      return this.fail(ProtoErr.LineTooLong);
    }
    this.pos = lf + 1;
    this.scan = this.pos;
    return this.dispatch(b, start, end);
  }

  private dispatch(b: string, start: number, end: number): boolean {
    const op = matchOp(b, start, end, true);
    switch (op) {
      case Op.Msg:
        return this.onMsgLine(b, start + 3, end, false);
      case Op.Hmsg:
        return this.onMsgLine(b, start + 4, end, true);
      case Op.Ping:
        this.sink.onPing();
        return true;
      case Op.Pong:
        this.sink.onPong();
        return true;
      case Op.Ok:
        this.sink.onOk();
        return true;
      case Op.Info:
        this.sink.onInfo(trimBlanks(b, start + 4, end));
        return true;
      case Op.Err:
        this.sink.onErr(unquote(trimBlanks(b, start + 4, end)));
        return true;
      default:
        return this.fail(ProtoErr.BadOp);
    }
  }

  /** Split b[from, end) at runs of blanks into argStart/argEnd; returns the count (MAX_OP_ARGS + 1 = too many). */
  private splitArgs(b: string, from: number, end: number): number {
    let argc = 0;
    let i = from;
    while (i < end) {
      while (i < end && isBlank(b.charCodeAt(i))) {
        i++;
      }
      if (i >= end) {
        break;
      }
      if (argc > MAX_OP_ARGS - 1) {
        return MAX_OP_ARGS + 1;
      }
      this.argStart[argc] = i;
      while (i < end && !isBlank(b.charCodeAt(i))) {
        i++;
      }
      this.argEnd[argc] = i;
      argc++;
    }
    return argc;
  }

  /** MSG <subject> <sid> [reply] <#bytes> / HMSG <subject> <sid> [reply] <#hdr> <#total> (nats-protocol.md §1). */
  private onMsgLine(b: string, from: number, end: number, hasHeaders: boolean): boolean {
    const argc = this.splitArgs(b, from, end);
    const sizes = hasHeaders ? 2 : 1;
    if (argc !== 2 + sizes && argc !== 3 + sizes) {
      return this.fail(ProtoErr.BadArgs);
    }
    const starts = this.argStart;
    const ends = this.argEnd;
    const sid = parseDigits(b, starts[1], ends[1]);
    if (sid < 0) {
      return this.fail(ProtoErr.BadArgs);
    }
    const last = argc - 1;
    const total = parseDigits(b, starts[last], ends[last]);
    const hdr = hasHeaders ? parseDigits(b, starts[last - 1], ends[last - 1]) : -1;
    if (total < 0 || (hasHeaders && (hdr < 0 || hdr > total))) {
      return this.fail(ProtoErr.BadSize);
    }
    const subject = b.substring(starts[0], ends[0]);
    if (total > this.maxPayloadBytes) {
      const avail = b.length - this.pos;
      if (avail >= total) {
        this.pos += total;
        this.phase = Phase.Terminator;
      } else {
        this.skipLeft = total - avail;
        this.pos = b.length;
        this.phase = Phase.Skip;
      }
      this.scan = this.pos;
      this.sink.onSkipped(subject, sid, total);
      return this.phase === Phase.Terminator;
    }
    this.subject = subject;
    this.sid = sid;
    this.reply = argc === 3 + sizes ? b.substring(starts[2], ends[2]) : undefined;
    this.hdrBytes = hdr;
    this.totalBytes = total;
    this.phase = Phase.Payload;
    return true;
  }

  private stepPayload(): boolean {
    const b = this.buf;
    const p = this.pos;
    const total = this.totalBytes;
    if (b.length - p < total + 2) {
      return false;
    }
    if (b.charCodeAt(p + total) !== Ch.CR || b.charCodeAt(p + total + 1) !== Ch.LF) {
      return this.fail(ProtoErr.BadTerminator);
    }
    const hdr = this.hdrBytes;
    let headers: string | undefined = undefined;
    let payload: string;
    if (hdr >= 0) {
      headers = b.substring(p, p + hdr);
      payload = b.substring(p + hdr, p + total);
    } else {
      payload = b.substring(p, p + total);
    }
    this.pos = p + total + 2;
    this.scan = this.pos;
    this.phase = Phase.Line;
    const subject = this.subject;
    const reply = this.reply;
    this.subject = "";
    this.reply = undefined;
    this.sink.onMsg(subject, this.sid, reply, payload, headers);
    return this.phase === Phase.Line;
  }

  /** The CR LF after a skipped payload. */
  private stepTerminator(): boolean {
    const b = this.buf;
    const p = this.pos;
    if (b.length - p < 2) {
      if (b.length - p === 1 && b.charCodeAt(p) !== Ch.CR) {
        return this.fail(ProtoErr.BadTerminator);
      }
      return false;
    }
    if (b.charCodeAt(p) !== Ch.CR || b.charCodeAt(p + 1) !== Ch.LF) {
      return this.fail(ProtoErr.BadTerminator);
    }
    this.pos = p + 2;
    this.scan = this.pos;
    this.phase = Phase.Line;
    return true;
  }
}

