// expect: @typescript-eslint/strict-boolean-expressions
export function pending(n: number): boolean {
  if (n) return true; // Lua: 0 is truthy
  return false;
}
