// expect: none
// Every construct dialect.md §3 allows, so the config must stay silent here.
const enum Phase { Control, Payload }

interface Sub { subject: string; sid: number }

const MAX_SUBS = 16;

function countDigits(line: string, from: number): number {
  let n = 0;
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  return n;
}

export class Table {
  subs: { [sid: number]: Sub | undefined } = {};
  phase: Phase = Phase.Control;
  lines: string[] = [];

  add(sid: number, subject: string): boolean {
    if (sid > MAX_SUBS) return false;
    this.subs[sid] = { subject, sid };
    this.lines.push("SUB " + subject + " " + sid + "\r\n");
    return true;
  }

  remove(sid: number): void {
    delete this.subs[sid];
  }

  flush(): string {
    const out = this.lines.join("");
    this.lines = [];
    return out;
  }

  half(n: number): number {
    return Math.floor(n / 2) + Math.max(0, Math.min(n % 3, 1));
  }

  find(line: string, name?: string): number {
    const at = line.indexOf("\r\n");
    const label = name ?? "none";
    let total = 0;
    for (const s of this.lines) total += s.length;
    switch (line.charCodeAt(0)) {
      case 77:
        return at + countDigits(line, 4) + label.length + total;
      default:
        return typeof name === "string" && name !== "" ? `${label}:${at}`.length : -1;
    }
  }
}

export const table = new Table();
