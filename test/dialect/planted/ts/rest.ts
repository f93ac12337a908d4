// expect: no-restricted-syntax "rest parameter"
export function count(...xs: number[]): number {
  return xs.length;
}
