// Small helpers of the core: decimal digits, safe protocol tokens, JSON strings, seeded randomness.

let seed = 1;

/** s: a whole number >= 0 (conn.ts num()). */
export function seedRandom(s: number): void {
  seed = s % 65537;
}

/** 0 <= r < n; the same sequence on every runtime (integer math far below 2^24). */
export function random(n: number): number {
  if (n <= 1) {
    return 0;
  }
  seed = (seed * 75 + 74) % 65537;
  return seed % n;
}

/** s[from, to) as a decimal of 1 to 9 digits (nats-protocol.md §2), or -1. */
export function digits(s: string, from: number, to: number): number {
  if (to <= from || to - from > 9) {
    return -1;
  }
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      return -1;
    }
    n = n * 10 + d;
  }
  return n;
}

/**
 * Whether s is a string that can stand as one protocol argument: not empty, and no space, tab, CR, LF,
 * NUL or other control byte, which would let it inject protocol. Everything else (empty tokens,
 * wildcards) nats-server checks itself (nats-protocol.md §5).
 */
export function isToken(s: unknown): boolean {
  if (typeof s !== "string" || s === "") {
    return false;
  }
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) <= 32) {
      return false;
    }
  }
  return true;
}

/**
 * Whether s is a subject: a token (above) of non-empty dot-separated tokens, and without wildcard
 * tokens: a publish subject or reply. A publish to foo..bar or a.* would reach nobody, silently
 * (nats-protocol.md §5). A subscription's subject is only a token: nats-server reports a bad one itself.
 */
export function isSubject(s: string): boolean {
  if (typeof s !== "string" || s === "") {
    return false;
  }
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    // the end is a token's end too
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c <= 32) {
      return false;
    }
    if (c === 46) {
      const first = s.charCodeAt(start);
      if (i === start || (i === start + 1 && (first === 42 || first === 62))) {
        return false;
      }
      start = i + 1;
    }
  }
  return true;
}

/** s as a JSON string literal: quote and backslash escaped, a control byte sent as a space, other bytes kept. */
export function jsonString(s: string): string {
  let r = "\"";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    r = r + (c === 34 || c === 92 ? "\\" : "") + (c < 32 ? " " : s.charAt(i));
  }
  return r + "\"";
}

/** Whether v is a whole number from 1 to 999,999,999 (sids, max counts, sizes). */
export function isCount(v: unknown): boolean {
  return typeof v === "number" && v >= 1 && v <= 999999999 && Math.floor(v) === v;
}
