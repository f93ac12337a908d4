// expect: @typescript-eslint/no-use-before-define x2
// Espruino does not hoist function declarations: the first call runs before `start` exists; the
// dialect also wants the one inside `restart` declared first (dialect.md §3).
export const started = start();

export function restart(): number {
  return start();
}

function start(): number {
  return 1;
}
