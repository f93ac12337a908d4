// Header blocks "NATS/1.0[ status]\r\nName: value\r\n...\r\n" (nats-protocol.md §4): status and values.

/** The status code of a header block (503 for no responders), or 0. */
export function headerStatus(h: string): number {
  if (h.indexOf("NATS/1.0 ") !== 0 || h.length < 12) {
    return 0;
  }
  let n = 0;
  for (let i = 9; i < 12; i++) {
    const d = h.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      return 0;
    }
    n = n * 10 + d;
  }
  return n;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** header(headers, name): the first value of name (case-insensitive), or undefined. */
export function header(this: void, h: string, name: string): string | undefined {
  if (typeof h !== "string" || typeof name !== "string") {
    return undefined;
  }
  const n = name.length;
  let start = h.indexOf("\r\n") + 2;
  while (start >= 2) {
    const end = h.indexOf("\r\n", start);
    if (end <= start) {
      return undefined;
    }
    let same = end - start > n && h.charCodeAt(start + n) === 58;
    for (let i = 0; i < n && same; i++) {
      same = lower(h.charCodeAt(start + i)) === lower(name.charCodeAt(i));
    }
    if (same) {
      let a = start + n + 1;
      while (a < end && (h.charCodeAt(a) === 32 || h.charCodeAt(a) === 9)) {
        a++;
      }
      return h.substring(a, end);
    }
    start = end + 2;
  }
  return undefined;
}

/** Whether h is header lines "Name: value" joined by CR LF, with no stray CR, LF or NUL. */
export function headersValid(h: unknown): boolean {
  if (typeof h !== "string") {
    return false;
  }
  let lineStart = 0;
  for (let i = 0; i <= h.length; i++) {
    const c = i < h.length ? h.charCodeAt(i) : 13;
    if (c === 13) {
      if (i < h.length && h.charCodeAt(i + 1) !== 10) {
        return false;
      }
      const colon = h.indexOf(":", lineStart);
      if (i > lineStart && (colon <= lineStart || colon >= i)) {
        return false;
      }
      lineStart = i + 2;
      i++;
    } else if (c === 10 || c === 0) {
      return false;
    }
  }
  return true;
}
