// expect: no-restricted-syntax "bitwise operator:" x3
// expect: no-restricted-syntax "bitwise assignment"
// expect: no-restricted-syntax "`~`"
export function mix(a: number, b: number): number {
  let x = (a & b) | (a >> 2);
  x ^= b;
  return ~x;
}
