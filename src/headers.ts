// Reading NATS header blocks: "NATS/1.0[ <status>[ <description>]]\r\n(<Key>: <Value>\r\n)*\r\n" (nats-protocol.md §4).
import { Ch, isBlank, parseDigits, trimBlanks, upper } from "./chars";
import { HEADER_VERSION } from "./limits";

/** The status code on the version line (503 for no responders), or 0 when there is none. */
export function headerStatus(h: string): number {
  const v = HEADER_VERSION.length;
  if (h.indexOf(HEADER_VERSION) !== 0 || h.length < v + 4 || !isBlank(h.charCodeAt(v))) {
    return 0;
  }
  const code = parseDigits(h, v + 1, v + 4);
  return code < 0 ? 0 : code;
}

function sameName(h: string, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if (upper(h.charCodeAt(at + i)) !== upper(name.charCodeAt(i))) {
      return false;
    }
  }
  return true;
}

/** The value of the first header named `name` (case-insensitive), without surrounding blanks, or undefined. */
export function headerValue(h: string, name: string): string | undefined {
  const n = name.length;
  let line = h.indexOf("\r\n");
  while (line >= 0) {
    const start = line + 2;
    const end = h.indexOf("\r\n", start);
    if (end < 0 || end === start) {
      return undefined;
    }
    if (end - start > n && h.charCodeAt(start + n) === Ch.Colon && sameName(h, start, name)) {
      return trimBlanks(h, start + n + 1, end);
    }
    line = end;
  }
  return undefined;
}
