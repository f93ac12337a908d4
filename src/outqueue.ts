// Bounded outbound queue: encoded protocol pieces wait here until the adapter takes them for one write.

/**
 * Pieces are kept in a fixed array of maxParts slots (unused slots hold ""), so queueing a message
 * allocates nothing; take() joins them into the one string written to the socket.
 */
export class OutQueue {
  maxBytes: number;
  maxParts: number;
  parts: string[] = [];
  count = 0;
  bytes = 0;

  constructor(maxBytes: number, maxParts: number) {
    this.maxBytes = maxBytes;
    this.maxParts = maxParts;
    for (let i = 0; i < maxParts; i++) {
      this.parts.push("");
    }
  }

  /** Whether nParts more pieces of nBytes in total fit. */
  fits(nParts: number, nBytes: number): boolean {
    return this.count + nParts <= this.maxParts && this.bytes + nBytes <= this.maxBytes;
  }

  /** Append one piece; the caller has checked fits() for the whole op, so an op is never split. */
  add(s: string): void {
    this.parts[this.count] = s;
    this.count++;
    this.bytes += s.length;
  }

  /** Everything queued, as one string, and the queue emptied. */
  take(): string {
    if (this.count === 0) {
      return "";
    }
    const out = this.parts.join("");
    for (let i = 0; i < this.count; i++) {
      this.parts[i] = "";
    }
    this.count = 0;
    this.bytes = 0;
    return out;
  }
}
