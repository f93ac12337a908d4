// expect: no-restricted-syntax "`instanceof`"
class Sub {
  sid = 0;
}
export function isSub(x: object): boolean {
  return x instanceof Sub;
}
