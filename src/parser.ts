// Streaming parser for what nats-server 2.9.10 sends (nats-protocol.md §1): chunks of bytes in, one
// handler call per complete op out, over any chunking. The server's exact forms only: upper-case ops,
// single spaces, lines ending in CR LF; anything else is a protocol error ("protocol"), and the link is
// dropped. Input of a link that is gone is dropped (linkId() changed). One function and module-level
// state: one Lua prototype, one constant table.
import * as conn from "./conn";
// the calls made per op or per message, as locals (no lookup in a module's table in Lua)
import { lineLimit, linkId } from "./conn";
//#if SUBS
import { payloadLimit } from "./conn";
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
const at = [0, 0, 0, 0, 0, 0, 0];
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
    pos = 0;
    phase = Phase.Line;
  }
  // The kept tail has no CR LF, but may end in the CR of one: the search goes on from there.
  const scan = buf.length - pos - 1;
  // Keep only the unconsumed tail, then append (dialect.md §5).
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
      bad = buf.charCodeAt(p) !== 13 || buf.charCodeAt(p + 1) !== 10;
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
      const lf = buf.indexOf("\r\n", start > scan ? start : scan);
      const k = OPS.indexOf(buf.substring(start, start + 4));
      if (phase === Phase.Tail) {
        if (lf < 0) {
          pos = buf.length - 1;
          break;
        }
        pos = lf + 2;
        phase = Phase.Line;
      } else if ((lf < 0 ? buf.length - 1 : lf) - start > limit) {
        // Over the limit (the last byte may be a CR): a protocol error, but nats-server does not bound
        // INFO (a cluster's connect_urls), so an INFO's head is taken and the rest dropped.
        bad = k !== 0;
        if (!bad) {
          conn.onInfo(buf.substring(start + 5, start + limit));
          phase = Phase.Tail;
        }
      } else if (lf < 0) {
        bad = k < 0;
        if (!bad) {
          break;
        }
      } else {
        pos = lf + 2;
        if (k === 0) {
          conn.onInfo(buf.substring(start + 5, lf));
        } else if (k === 4) {
          conn.onPing();
        } else if (k === 8) {
          conn.onPong();
        } else if (k === 16) {
          // -ERR 'text'
          conn.onErr(buf.substring(start + 6, lf - 1));
          //#if SUBS
        } else if (k === 20 || k === 24) {
          // MSG <subject> <sid> [reply] <#bytes> / HMSG <subject> <sid> [reply] <#hdr> <#total>
          const h = k > 20 ? 1 : 0;
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
              conn.onSkipped(subject, sid, size);
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
      conn.fail("protocol");
    }
  }
  if (pos >= buf.length) {
    // all consumed: the chunk is not kept alive until the next one
    buf = "";
    pos = 0;
  }
}
