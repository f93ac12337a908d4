// expect: no-var
export function one(): number {
  var n = 1;
  n = n + 1;
  return n;
}
