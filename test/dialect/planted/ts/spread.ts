// expect: no-restricted-syntax "spread"
export function copy(a: number[]): number[] {
  return [...a];
}
