// expect: no-restricted-syntax "try/catch/throw"
export function risky(n: number): number {
  try {
    if (n > 3) throw "big";
  } catch (e) {
    return 0;
  }
  return n;
}
