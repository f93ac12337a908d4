// expect: no-restricted-syntax "array destructuring"
export function first(pair: number[]): number {
  const [a] = pair;
  return a;
}
