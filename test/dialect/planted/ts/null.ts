// expect: no-restricted-syntax "`null`"
export function empty(): string | null {
  return null;
}
