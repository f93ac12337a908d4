// expect: no-restricted-syntax "`toString(radix)`"
export function hex(n: number): string {
  return n.toString(16);
}
