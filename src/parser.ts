// Streaming parser for what nats-server 2.9.10 sends (nats-protocol.md §1): chunks of bytes in, one
// handler call per complete op out, over any chunking. The server's exact forms only: upper-case ops,
// single spaces, lines ending in CR LF; anything else is a protocol error ("protocol"), and the link is
// dropped. Input of a link that is gone is dropped (linkId() changed). One function and module-level
// state: one Lua prototype, one constant table.
// one import per module: one require in Lua
import * as conn from "./conn";
//#if SUBS
import * as subs from "./subs";
import * as util from "./util";
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
  const g = conn.linkId();
  if (g < 0) {
    return;
  }
  if (g !== gen) {
    gen = g;
    buf = "";
    phase = Phase.Line;
  }
  // Keep only the unconsumed tail, then append (dialect.md §5). A line's CR LF is searched for from its
  // start each time: a line is bounded (the limit) and copied into buf with each chunk anyway. While
  // parsing, data and cur are locals (Lua registers, not upvalues).
  const data = pos < buf.length ? buf.substring(pos) + chunk : chunk;
  const len = data.length;
  let cur = 0;
  // buf and pos are kept current before each handler call: a callback that raises (the adapter goes
  // on with feed("")) leaves the rest of the input whole
  buf = data;
  pos = 0;
  const limit = conn.lineLimit();
  // each turn consumes one op or waits for more; a handler may end the link, and then the rest is dropped
  // (set once: a protocol error ends the link, and the loop with it)
  let bad = false;
  while (conn.linkId() === g) {
    const start = cur;
    //#if SUBS
    if (phase === Phase.Payload) {
      if (sid < 0) {
        // skipped bytes are counted off as they come, never buffered
        const n = len - start < size ? len - start : size;
        cur += n;
        size -= n;
      }
      const p = cur + size;
      if (len < p + 2) {
        break;
      }
      bad = data.substring(p, p + 2) !== "\r\n";
      if (!bad) {
        const s = cur;
        cur = p + 2;
        pos = cur;
        phase = Phase.Line;
        if (sid >= 0) {
          //#if FULL
          subs.deliver(subject, data.substring(s + hdr, p), reply, sid, hdr > 0 ? data.substring(s, s + hdr) : undefined);
          //#endif
          //#if !FULL
          subs.deliver(subject, data.substring(s, p), reply, sid, undefined);
          //#endif
        }
      }
    } else {
      //#endif
      // (nothing left: no CR LF, and OPS.indexOf("") is 0: a line not ended yet that may become an op)
      const lf = data.indexOf("\r\n", start);
      const head = data.substring(start, start + 4);
      const k =
        //#if SUBS
        // MSG, the op of every delivery, without a search (bench/parser.js on V8: 1.9 M msg/s with, 6.5 M without)
        head === "MSG " ? 20 :
        //#endif
        OPS.indexOf(head);
      // over the limit (the last byte of a line not ended yet may be a CR)
      const over = (lf < 0 ? len - 1 : lf) - start > limit;
      if (phase === Phase.Tail) {
        if (lf < 0) {
          cur = len - 1;
          break;
        }
        cur = lf + 2;
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
          cur = lf + 2;
        }
        pos = cur;
        if (k === 0) {
          conn.onInfo(data.substring(start + 5, over ? start + limit : lf));
        } else if (over) {
          bad = true;
        } else if (k === 4) {
          conn.onPing();
        } else if (k === 8) {
          conn.onPong();
        } else if (k === 16) {
          // -ERR 'text'
          conn.onErr(data.substring(start + 6, lf - 1));
          //#if SUBS
        } else if (k === 20 || k === 24) {
          // (24, HMSG: profile full; OPS of pubsub has no HMSG)
          const h = k > 20 ? 1 : 0;
          // MSG <subject> <sid> [reply] <#bytes> / HMSG <subject> <sid> [reply] <#hdr> <#total>, split at
          // single spaces from the op's last letter on: a[1] is the subject (a[0]: MSG "", HMSG "G")
          const a = at;
          let n = 0;
          let i = start + 3;
          while (i <= lf && n < 7) {
            const e = data.indexOf(" ", i);
            a[n] = i;
            n++;
            i = e < 0 || e > lf ? lf + 1 : e + 1;
          }
          a[n] = lf + 1;
          sid = -1;
          if (n > 3 + h && n < 6 + h) {
            subject = data.substring(a[1], a[2] - 1);
            sid = util.digits(data, a[2], a[3] - 1);
            reply = n > 4 + h ? data.substring(a[3], a[4] - 1) : undefined;
            size = util.digits(data, a[n - 1], lf);
            //#if FULL
            hdr = h > 0 ? util.digits(data, a[n - 2], a[n - 1] - 1) : 0;
            //#endif
          }
          //#if FULL
          bad = sid < 0 || hdr < 0 || hdr > size;
          //#endif
          //#if !FULL
          bad = sid < 0 || size < 0;
          //#endif
          if (!bad) {
            phase = Phase.Payload;
            if (size > conn.payloadLimit()) {
              // skipped before the report: a status callback that raises cannot make it delivered
              const skipped = sid;
              sid = -1;
              conn.onSkipped(subject, skipped, size);
            }
          }
          //#endif
        } else {
          bad = k !== 12;
        }
      }
      //#if SUBS
    }
    //#endif
    if (bad) {
      cur = len;
      conn.fail("protocol");
    }
  }
  // all consumed: the chunk is not kept alive until the next one
  buf = cur < len ? data : "";
  pos = cur;
}
