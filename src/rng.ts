// A small PRNG for jitter, server shuffling and inbox names: (75x + 74) mod 65537. Every product stays
// below 2^23, so it is exact on every number build (NodeMCU int32 and float32 too; dialect.md §4), and
// a seed gives the same sequence on every runtime.

export class Rng {
  x: number;

  constructor(seed: number) {
    this.x = Math.floor(Math.abs(seed)) % 65537;
  }

  /** The next value, 0 to 65536. */
  next(): number {
    this.x = (this.x * 75 + 74) % 65537;
    return this.x;
  }

  /** 0 to n-1 (n ≤ 65537). */
  below(n: number): number {
    return n <= 1 ? 0 : this.next() % n;
  }
}
