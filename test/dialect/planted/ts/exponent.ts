// expect: no-restricted-syntax "`**`"
export function square(a: number): number {
  return a ** 2;
}
