// expect: eqeqeq
export function same(a: number, b: number): boolean {
  return a == b;
}
