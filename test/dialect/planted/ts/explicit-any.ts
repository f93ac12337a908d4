// expect: @typescript-eslint/no-explicit-any
export function raw(x: any): number {
  return x as number;
}
