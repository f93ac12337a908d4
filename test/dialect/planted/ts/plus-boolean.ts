// expect: @typescript-eslint/restrict-plus-operands
export function line(flag: boolean): string {
  return "verbose:" + flag;
}
