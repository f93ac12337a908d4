// INFO field extraction without a JSON library (Lua has none): reads the top-level fields the client
// needs and steps over everything else, nested values and escaped strings included.
import { Ch } from "./chars";

/** The INFO fields the client uses (nats-protocol.md §3); refilled in place by parseInfo. */
export class ServerInfo {
  serverId = "";
  version = "";
  /** -1 when absent. */
  proto = -1;
  /** -1 when absent. */
  maxPayload = -1;
  headers = false;
  authRequired = false;
  tlsRequired = false;
  nonce = "";
  ldm = false;
  /** connectUrls[0 .. urlCount-1] are valid; entries beyond maxUrls are counted in urlsDropped. */
  connectUrls: string[] = [];
  urlCount = 0;
  urlsDropped = 0;
}

const HEX = "0123456789abcdef";

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

function lower(c: number): number {
  return c >= Ch.UpperA && c <= Ch.UpperZ ? c + 32 : c;
}

/** Value of the four hex digits at s[i..i+3], or -1. */
function hex4(s: string, i: number): number {
  if (i + 4 > s.length) {
    return -1;
  }
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const d = HEX.indexOf(String.fromCharCode(lower(s.charCodeAt(i + k))));
    if (d < 0) {
      return -1;
    }
    v = v * 16 + d;
  }
  return v;
}

/** The byte a one-char JSON escape stands for (\n, \t, ...; \" \\ \/ and unknown ones stand for themselves). */
function unescapeChar(e: number): number {
  switch (e) {
    case 110:
      return Ch.LF; // n
    case 114:
      return Ch.CR; // r
    case 116:
      return Ch.Tab; // t
    case 98:
      return 8; // b
    case 102:
      return 12; // f
    default:
      return e;
  }
}

/** UTF-8 bytes of a code point, as a byte string. */
function utf8(code: number): string {
  if (code < 0x80) {
    return String.fromCharCode(code);
  }
  if (code < 0x800) {
    return String.fromCharCode(0xc0 + Math.floor(code / 64), 0x80 + (code % 64));
  }
  if (code < 0x10000) {
    return String.fromCharCode(0xe0 + Math.floor(code / 4096), 0x80 + (Math.floor(code / 64) % 64), 0x80 + (code % 64));
  }
  return String.fromCharCode(
    0xf0 + Math.floor(code / 262144),
    0x80 + (Math.floor(code / 4096) % 64),
    0x80 + (Math.floor(code / 64) % 64),
    0x80 + (code % 64),
  );
}

/** Cursor over one INFO JSON text; pos = -1 once it is malformed. */
class JsonReader {
  s: string;
  pos = 0;
  constructor(s: string) {
    this.s = s;
  }

  skipBlanks(): void {
    const s = this.s;
    let i = this.pos;
    let c = s.charCodeAt(i);
    while (c === Ch.Space || c === Ch.Tab || c === Ch.LF || c === Ch.CR) {
      i++;
      c = s.charCodeAt(i);
    }
    this.pos = i;
  }

  /** Consume c (after blanks) or mark the text malformed. */
  expect(c: number): boolean {
    this.skipBlanks();
    if (this.pos >= 0 && this.pos < this.s.length && this.s.charCodeAt(this.pos) === c) {
      this.pos++;
      return true;
    }
    this.pos = -1;
    return false;
  }

  peek(): number {
    this.skipBlanks();
    return this.pos >= 0 && this.pos < this.s.length ? this.s.charCodeAt(this.pos) : -1;
  }

  /** A string value, escapes decoded; \uXXXX becomes its UTF-8 bytes. */
  readString(): string {
    if (!this.expect(Ch.Quote)) {
      return "";
    }
    const s = this.s;
    const start = this.pos;
    let i = start;
    let out = "";
    let runStart = start;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === Ch.Quote) {
        this.pos = i + 1;
        return runStart === start ? s.substring(start, i) : out + s.substring(runStart, i);
      }
      if (c === Ch.Backslash) {
        out = out + s.substring(runStart, i);
        if (i + 1 >= s.length) {
          break;
        }
        const e = s.charCodeAt(i + 1);
        i += 2;
        if (e === 117) {
          // u
          let code = hex4(s, i);
          i += 4;
          if (code >= 0xd800 && code < 0xdc00 && s.charCodeAt(i) === Ch.Backslash && s.charCodeAt(i + 1) === 117) {
            const low = hex4(s, i + 2);
            if (low >= 0xdc00 && low < 0xe000) {
              code = 0x10000 + (code - 0xd800) * 1024 + (low - 0xdc00);
              i += 6;
            }
          }
          if (code < 0) {
            this.pos = -1;
            return "";
          }
          out = out + utf8(code);
        } else {
          out = out + String.fromCharCode(unescapeChar(e));
        }
        runStart = i;
      } else {
        i++;
      }
    }
    this.pos = -1;
    return "";
  }

  /** A non-negative integer value; fractions and exponents are ignored, values capped below 2^31. */
  readInt(): number {
    this.skipBlanks();
    const s = this.s;
    let i = this.pos;
    let v = 0;
    let digits = 0;
    // Bounds first: in Lua an out-of-range charCodeAt is nil, and ordering nil is an error.
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      v = v < 100000000 ? v * 10 + (s.charCodeAt(i) - Ch.Zero) : 999999999;
      digits++;
      i++;
    }
    this.pos = i;
    if (digits === 0) {
      this.skipValue();
      return -1;
    }
    this.skipScalarTail();
    return v;
  }

  readBool(): boolean {
    this.skipBlanks();
    const t = this.s.charCodeAt(this.pos) === 116; // t
    this.skipValue();
    return t;
  }

  /** Step over the rest of a number or literal. */
  skipScalarTail(): void {
    const s = this.s;
    let i = this.pos;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === Ch.Comma || c === Ch.BraceClose || c === Ch.BracketClose || c === Ch.Space || c === Ch.Tab || c === Ch.CR || c === Ch.LF) {
        break;
      }
      i++;
    }
    this.pos = i;
  }

  /** Step over any value: string, number, literal, or a nested object/array (depth counted, strings honoured). */
  skipValue(): void {
    const c = this.peek();
    if (c === Ch.Quote) {
      this.skipString();
      return;
    }
    if (c !== Ch.BraceOpen && c !== Ch.BracketOpen) {
      if (c < 0) {
        this.pos = -1;
        return;
      }
      this.skipScalarTail();
      return;
    }
    const s = this.s;
    let depth = 0;
    let i = this.pos;
    while (i < s.length) {
      const d = s.charCodeAt(i);
      if (d === Ch.Quote) {
        this.pos = i;
        this.skipString();
        if (this.pos < 0) {
          return;
        }
        i = this.pos;
        continue;
      }
      if (d === Ch.BraceOpen || d === Ch.BracketOpen) {
        depth++;
      } else if (d === Ch.BraceClose || d === Ch.BracketClose) {
        depth--;
        if (depth === 0) {
          this.pos = i + 1;
          return;
        }
      }
      i++;
    }
    this.pos = -1;
  }

  skipString(): void {
    const s = this.s;
    let i = this.pos + 1;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === Ch.Backslash) {
        i += 2;
      } else if (c === Ch.Quote) {
        this.pos = i + 1;
        return;
      } else {
        i++;
      }
    }
    this.pos = -1;
  }
}

function readUrls(r: JsonReader, into: ServerInfo, maxUrls: number): void {
  into.urlCount = 0;
  into.urlsDropped = 0;
  if (r.peek() !== Ch.BracketOpen) {
    r.skipValue();
    return;
  }
  r.expect(Ch.BracketOpen);
  if (r.peek() === Ch.BracketClose) {
    r.pos++;
    return;
  }
  while (r.pos >= 0) {
    if (r.peek() === Ch.Quote) {
      const url = r.readString();
      if (into.urlCount < maxUrls) {
        into.connectUrls[into.urlCount] = url;
        into.urlCount++;
      } else {
        into.urlsDropped++;
      }
    } else {
      r.skipValue();
    }
    if (r.peek() === Ch.Comma) {
      r.pos++;
    } else {
      r.expect(Ch.BracketClose);
      return;
    }
  }
}

function readField(r: JsonReader, key: string, into: ServerInfo, maxUrls: number): void {
  switch (key) {
    case "server_id":
      into.serverId = r.readString();
      break;
    case "version":
      into.version = r.readString();
      break;
    case "nonce":
      into.nonce = r.readString();
      break;
    case "proto":
      into.proto = r.readInt();
      break;
    case "max_payload":
      into.maxPayload = r.readInt();
      break;
    case "headers":
      into.headers = r.readBool();
      break;
    case "auth_required":
      into.authRequired = r.readBool();
      break;
    case "tls_required":
      into.tlsRequired = r.readBool();
      break;
    case "ldm":
      into.ldm = r.readBool();
      break;
    case "connect_urls":
      readUrls(r, into, maxUrls);
      break;
    default:
      r.skipValue();
  }
}

/**
 * Fill `into` from an INFO JSON object; fields absent from this INFO take their defaults (an INFO
 * replaces the previous one). Returns false when the text is not a well-formed object.
 */
export function parseInfo(json: string, into: ServerInfo, maxUrls: number): boolean {
  into.serverId = "";
  into.version = "";
  into.proto = -1;
  into.maxPayload = -1;
  into.headers = false;
  into.authRequired = false;
  into.tlsRequired = false;
  into.nonce = "";
  into.ldm = false;
  into.urlCount = 0;
  into.urlsDropped = 0;
  const r = new JsonReader(json);
  if (!r.expect(Ch.BraceOpen)) {
    return false;
  }
  if (r.peek() === Ch.BraceClose) {
    r.pos++;
  } else {
    while (r.pos >= 0) {
      const key = r.readString();
      if (r.pos < 0 || !r.expect(Ch.Colon)) {
        return false;
      }
      readField(r, key, into, maxUrls);
      if (r.pos < 0) {
        return false;
      }
      const c = r.peek();
      r.pos++;
      if (c === Ch.BraceClose) {
        break;
      }
      if (c !== Ch.Comma) {
        return false;
      }
    }
  }
  if (r.pos < 0) {
    return false;
  }
  r.skipBlanks();
  return r.pos === json.length;
}
