// expect: @typescript-eslint/no-loop-func
// expect: dialect/no-function-in-loop
export const handlers: Array<() => number> = [];
let total = 0;
while (total < 3) {
  total++;
  handlers.push(function (): number { return total; });
}
