// expect: no-restricted-syntax "object destructuring"
export function sid(sub: { sid: number }): number {
  const { sid } = sub;
  return sid;
}
