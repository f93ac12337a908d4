// expect: no-restricted-syntax "optional chaining"
export function len(s: { v: string } | undefined): number | undefined {
  return s?.v.length;
}
