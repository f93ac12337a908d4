// expect: no-restricted-syntax "`arguments`"
export function count(): number {
  return arguments.length;
}
