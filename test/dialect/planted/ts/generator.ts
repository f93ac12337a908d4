// expect: no-restricted-syntax "generator"
export function* count(): IterableIterator<number> {
  yield 1;
}
