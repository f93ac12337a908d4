// Joining queued ops for one write on Espruino: += appends in place (espruino.md §3), each byte once.
export function ioJoin(parts: string[], from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) {
    s += parts[i];
  }
  return s;
}
