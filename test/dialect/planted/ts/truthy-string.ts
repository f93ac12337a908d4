// expect: @typescript-eslint/strict-boolean-expressions
export function orDefault(s: string): string {
  return s || "default"; // Lua: "" is truthy
}
