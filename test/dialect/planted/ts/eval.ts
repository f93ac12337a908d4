// expect: no-restricted-syntax "`eval`"
export function run(code: string): unknown {
  return eval(code);
}
