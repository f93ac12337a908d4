// expect: no-restricted-syntax "array destructuring"
// Linted with the firmware/nodemcu override: LuaMultiReturn call results may be destructured (dialect.md §9).
declare const node: { uptime(this: void): [number, number] };
const [lo, hi] = node.uptime();
const pair = [lo, hi];
const [first] = pair;
export const up = lo + hi + first;
