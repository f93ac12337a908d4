// expect: no-restricted-syntax "Math.pow/imul/trunc"
export function kilo(n: number): number {
  return n * Math.pow(2, 10);
}
