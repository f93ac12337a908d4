// expect: no-restricted-syntax "assigning `.length`"
export function clear(xs: number[]): void {
  xs.length = 0;
}
