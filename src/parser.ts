// Streaming parser for what nats-server 2.9.10 sends (nats-protocol.md §1): chunks of bytes in, one
// handler call per complete op out, over any chunking. The server's exact forms only: upper-case ops,
// single spaces, lines ending in CR LF; anything else is a protocol error ("protocol"), and the link is
// dropped. Input of a link that is gone is dropped (linkId() changed). One function and module-level
// state: one Lua prototype, one constant table.
// one import per module: one require in Lua; the handlers are locals (no lookup in a module's table)
import {
  fail,
  lineLimit,
  linkId,
  onErr,
  onInfo,
  onPing,
  onPong,
  //#if SUBS
  onSkipped,
  payloadLimit,
  //#endif
} from "./conn";
//#if SUBS
import { deliver } from "./subs";
import { digits } from "./util";
//#endif

/**
 * The ops' first 4 bytes, each at a multiple of 4: OPS.indexOf(a line's head) says the op. A line not
 * ended yet whose head is found nowhere in it can become no op: it is refused at once.
 */
const OPS =
  //#if !SUBS
  "INFOPINGPONG+OK\r-ERR";
//#endif
//#if SUBS
//#if !FULL
("INFOPINGPONG+OK\r-ERRMSG ");
//#endif
//#if FULL
("INFOPINGPONG+OK\r-ERRMSG HMSG");
//#endif
//#endif

const enum Phase {
  Line,
  /** The rest of an INFO longer than the line limit, dropped up to its line end. */
  Tail,
  //#if SUBS
  /** A payload (and its CR LF) awaited, or skipped (sid -1) and counted off as it comes. */
  Payload,
  //#endif
}

/** The link whose bytes buf holds. */
let gen = -1;
/** Unconsumed input is buf[pos..]. */
let buf = "";
let pos = 0;
let phase = Phase.Line;
//#if SUBS
// The message whose payload is awaited, fields in callback order; sid -1: skipped (over the limit).
let subject = "";
let reply: string | undefined = undefined;
let sid = 0;
//#if FULL
let hdr = 0;
//#endif
/** Payload bytes awaited (HMSG: headers included); when skipping, the bytes left to skip. */
let size = 0;
/** Where the arguments of a MSG line start; the one after the last is the line end + 1. */
const at: number[] = [];
//#endif

/** Feed the next chunk of bytes of the current link, of any size, split anywhere. */
export function feed(chunk: string): void {
  const g = linkId();
  if (g < 0) {
    return;
  }
  if (g !== gen) {
    gen = g;
    buf = "";
    phase = Phase.Line;
  }
  // Keep only the unconsumed tail, then append (dialect.md §5). A line's CR LF is searched for from its
  // start each time: a line is bounded (the limit) and copied into buf with each chunk anyway.
  buf = pos < buf.length ? buf.substring(pos) + chunk : chunk;
  pos = 0;
  const limit = lineLimit();
  // each turn consumes one op or waits for more; a handler may end the link, and then the rest is dropped
  while (linkId() === g) {
    const start = pos;
    let bad = false;
    //#if SUBS
    if (phase === Phase.Payload) {
      if (sid < 0) {
        // skipped bytes are counted off as they come, never buffered
        const n = buf.length - start < size ? buf.length - start : size;
        pos += n;
        size -= n;
      }
      const p = pos + size;
      if (buf.length < p + 2) {
        break;
      }
      bad = buf.substring(p, p + 2) !== "\r\n";
      if (!bad) {
        const s = pos;
        pos = p + 2;
        phase = Phase.Line;
        if (sid >= 0) {
          //#if FULL
          deliver(subject, buf.substring(s + hdr, p), reply, sid, hdr > 0 ? buf.substring(s, s + hdr) : undefined);
          //#endif
          //#if !FULL
          deliver(subject, buf.substring(s, p), reply, sid, undefined);
          //#endif
        }
      }
    } else
    //#endif
    if (start >= buf.length) {
      break;
    } else {
      const lf = buf.indexOf("\r\n", start);
      const k = OPS.indexOf(buf.substring(start, start + 4));
      // over the limit (the last byte of a line not ended yet may be a CR)
      const over = (lf < 0 ? buf.length - 1 : lf) - start > limit;
      if (phase === Phase.Tail) {
        if (lf < 0) {
          pos = buf.length - 1;
          break;
        }
        pos = lf + 2;
        phase = Phase.Line;
      } else if (lf < 0 && !over) {
        bad = k < 0;
        if (!bad) {
          break;
        }
      } else {
        // A line over the limit is a protocol error, but nats-server does not bound INFO (a cluster's
        // connect_urls): an INFO's head is taken at once, its rest dropped up to its line end.
        if (over) {
          phase = Phase.Tail;
        } else {
          pos = lf + 2;
        }
        if (k === 0) {
          onInfo(buf.substring(start + 5, over ? start + limit : lf));
        } else if (over) {
          bad = true;
        } else if (k === 4) {
          onPing();
        } else if (k === 8) {
          onPong();
        } else if (k === 16) {
          // -ERR 'text'
          onErr(buf.substring(start + 6, lf - 1));
          //#if SUBS
        } else if (k === 20 || k === 24) {
          // (24, HMSG: profile full; OPS of pubsub has no HMSG)
          const h = k > 20 ? 1 : 0;
          // MSG <subject> <sid> [reply] <#bytes> / HMSG <subject> <sid> [reply] <#hdr> <#total>
          let n = 0;
          let i = start + 4 + h;
          while (i <= lf && n < 6) {
            const e = buf.indexOf(" ", i);
            at[n] = i;
            n++;
            i = e < 0 || e > lf ? lf + 1 : e + 1;
          }
          at[n] = lf + 1;
          n -= h;
          if (n === 3 || n === 4) {
            subject = buf.substring(at[0], at[1] - 1);
            sid = digits(buf, at[1], at[2] - 1);
            reply = n > 3 ? buf.substring(at[2], at[3] - 1) : undefined;
            size = digits(buf, at[n + h - 1], lf);
            //#if FULL
            hdr = h > 0 ? digits(buf, at[n - 1], at[n] - 1) : 0;
            //#endif
          }
          //#if FULL
          bad = (n !== 3 && n !== 4) || sid < 0 || hdr < 0 || hdr > size;
          //#endif
          //#if !FULL
          bad = (n !== 3 && n !== 4) || sid < 0 || size < 0;
          //#endif
          if (!bad) {
            phase = Phase.Payload;
            if (size > payloadLimit()) {
              onSkipped(subject, sid, size);
              sid = -1;
            }
          }
          //#endif
        } else {
          bad = k !== 12;
        }
      }
    }
    if (bad) {
      pos = buf.length;
      fail("protocol");
    }
  }
  if (pos >= buf.length) {
    // all consumed: the chunk is not kept alive until the next one (pos >= 0 = buf.length stays right)
    buf = "";
  }
}
