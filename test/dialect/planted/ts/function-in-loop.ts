// expect: dialect/no-function-in-loop
// no-loop-func accepts this `let` capture; TSTL and Espruino share `i`, so every handler sees 3.
export const handlers: Array<() => number> = [];
for (let i = 0; i < 3; i++) {
  handlers.push(() => i);
}
