// Bounded outbound queue: encoded protocol pieces wait here until the adapter takes them for one write.

/**
 * Pieces go into a small fixed array of slots (unused slots hold ""), so queueing allocates nothing
 * until the slots run out; then the queued pieces are joined into the first slot (one string, amortised
 * over many pieces). The only bound a caller sees is maxBytes.
 */
export class OutQueue {
  maxBytes: number;
  parts: string[] = [];
  count = 0;
  bytes = 0;
  /** Messages (PUB/HPUB) queued, counted by the encoders. */
  msgs = 0;

  constructor(maxBytes: number, slots: number) {
    this.maxBytes = maxBytes;
    for (let i = 0; i < slots; i++) {
      this.parts.push("");
    }
  }

  /** Whether an op of nBytes fits in what is left of maxBytes. */
  fits(nBytes: number): boolean {
    return this.bytes + nBytes <= this.maxBytes;
  }

  /** Append one piece; the caller has checked fits() for the whole op, so an op is never split. */
  add(s: string): void {
    if (this.count === this.parts.length) {
      const joined = this.parts.join("");
      for (let i = 1; i < this.count; i++) {
        this.parts[i] = "";
      }
      this.parts[0] = joined;
      this.count = 1;
    }
    this.parts[this.count] = s;
    this.count++;
    this.bytes += s.length;
  }

  /** Everything queued, as one string, and the queue emptied. */
  take(): string {
    if (this.count === 0) {
      return "";
    }
    const out = this.count === 1 ? this.parts[0] : this.parts.join("");
    for (let i = 0; i < this.count; i++) {
      this.parts[i] = "";
    }
    this.count = 0;
    this.bytes = 0;
    this.msgs = 0;
    return out;
  }
}
