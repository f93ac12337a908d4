// expect: @typescript-eslint/no-use-before-define
export function make(): Queue {
  return new Queue();
}

class Queue {
  size = 0;
}
