// The out-queue's ring on Espruino: ops joined for one write with +=, which appends in place
// (espruino.md §3), each byte once; empty slots beyond `keep` popped, as each is a JsVar.
export function ioJoin(parts: string[], from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) {
    s += parts[i];
  }
  return s;
}

export function ioTrim(parts: string[], keep: number): void {
  while (parts.length > keep) {
    parts.pop();
  }
}
