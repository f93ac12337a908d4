// expect: no-restricted-syntax "`in`"
export function has(d: { [k: string]: number | undefined }, k: string): boolean {
  return k in d;
}
