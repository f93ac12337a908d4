// expect: no-restricted-syntax "getter/setter"
export class Conn {
  n = 0;
  get size(): number {
    return this.n;
  }
}
