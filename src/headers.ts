// Header blocks "NATS/1.0[ status]\r\nName: value\r\n...\r\n" (nats-protocol.md §4): a value by name.

/** header(headers, name): the first value of name (case-insensitive), or undefined. */
export function header(this: void, h: string, name: string): string | undefined {
  if (typeof h !== "string" || typeof name !== "string") {
    return undefined;
  }
  const key = "\r\n" + name.toLowerCase() + ":";
  let a = h.toLowerCase().indexOf(key);
  const end = h.indexOf("\r\n", a + key.length);
  if (a < 0 || end < 0) {
    return undefined;
  }
  a = a + key.length;
  while (h.charCodeAt(a) === 32 || h.charCodeAt(a) === 9) {
    a++;
  }
  return h.substring(a, end);
}
