// The out-queue's ring on Espruino: ops joined for one write with +=, which appends in place
// (espruino.md §3), each byte once, and their slots emptied. Free slots at the ring's end are given back
// down to a few ops' (each slot is a JsVar): a burst leaves no high-water of empty slots, and a steady
// stream reuses the same few. A triple of empty slots is free: a queued op's line is never empty.
export function ioJoin(parts: string[], from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) {
    s += parts[i];
    parts[i] = "";
  }
  for (let n = parts.length; n > 48 && parts[n - 1] === "" && parts[n - 2] === "" && parts[n - 3] === ""; n -= 3) {
    parts.pop();
    parts.pop();
    parts.pop();
  }
  return s;
}
