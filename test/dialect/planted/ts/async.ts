// expect: no-restricted-syntax "async/await"
declare function later(): PromiseLike<number>;
export async function wait(): Promise<number> {
  const n = await later();
  return n;
}
