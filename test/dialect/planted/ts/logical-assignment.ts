// expect: no-restricted-syntax "logical assignment"
export function orDefault(s: string | undefined): string {
  let v = s;
  v ??= "x";
  return v;
}
