// expect: prefer-const
export function one(): number {
  let n = 1;
  return n;
}
