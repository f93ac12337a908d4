// expect: no-restricted-syntax "outside `Math.floor"
// expect: no-restricted-syntax "`/=`"
export function half(a: number): number {
  let b = a;
  b /= 2;
  return a / 2 + Math.floor(b / 2);
}
