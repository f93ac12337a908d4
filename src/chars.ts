// Byte values the protocol code dispatches on (one char is one byte on both runtimes).
export const enum Ch {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Gt = 62,
  UpperA = 65,
  UpperZ = 90,
  Backslash = 92,
  LowerA = 97,
  LowerZ = 122,
  Star = 42,
  Apostrophe = 39,
  BraceOpen = 123,
  BraceClose = 125,
  BracketOpen = 91,
  BracketClose = 93,
}

export const CRLF = "\r\n";

/** True for the argument separators of a control line: runs of spaces and tabs (nats-protocol.md §2). */
export function isBlank(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab;
}

/** s[from, end) without leading and trailing spaces and tabs. */
export function trimBlanks(s: string, from: number, end: number): string {
  let a = from;
  let b = end;
  while (a < b && isBlank(s.charCodeAt(a))) {
    a++;
  }
  while (b > a && isBlank(s.charCodeAt(b - 1))) {
    b--;
  }
  return s.substring(a, b);
}

/** ASCII upper-casing of one byte, for case-insensitive op names (nats-protocol.md §2). */
export function upper(c: number): number {
  return c >= Ch.LowerA && c <= Ch.LowerZ ? c - 32 : c;
}

/**
 * Value of 1–9 ASCII digits in s[from, to), or -1 when the run is empty, longer than nine digits or
 * holds anything else (nats-protocol.md §2: sizes are 1–9 digits). Nine digits stay below 2^31.
 */
export function parseDigits(s: string, from: number, to: number): number {
  const n = to - from;
  if (n < 1 || n > 9) {
    return -1;
  }
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < Ch.Zero || c > Ch.Nine) {
      return -1;
    }
    v = v * 10 + (c - Ch.Zero);
  }
  return v;
}
