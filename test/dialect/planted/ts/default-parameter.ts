// expect: no-restricted-syntax "default parameter"
export function port(p: number = 4222): number {
  return p;
}
