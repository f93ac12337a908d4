// expect: no-restricted-syntax "for…in"
export function keys(d: { [k: string]: number }): string {
  let out = "";
  for (const k in d) out = out + k;
  return out;
}
