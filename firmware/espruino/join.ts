// The out-queue's ring on Espruino: ops joined for one write with +=, which appends in place
// (espruino.md §3), each byte once, and their slots emptied. A join that reached the ring's last slot
// pops the slots it joined, down to a few ops' (each slot is a JsVar): a burst leaves no high-water of
// empty slots, and a steady stream reuses the same few.
export function ioJoin(parts: string[], from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) {
    s += parts[i];
    parts[i] = "";
  }
  for (let n = to; n === parts.length && n > from && n > 48; n--) {
    parts.pop();
  }
  return s;
}
