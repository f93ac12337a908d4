// The ways a transcript is cut into chunks: whole, one byte at a time, split in two at every position,
// and seeded random cuts. The same generator (Park-Miller, exact in doubles and in Lua integers) is
// used by the Lua specs, so every runtime sees the same chunkings.

export const RANDOM_SEEDS = 20;

function nextSeed(seed) {
  return (seed * 16807) % 2147483647;
}

/** Chunk lengths for a seeded random cutting of n bytes: up to 64 bytes for odd seeds, up to 1460 for even. */
export function randomCuts(n, seed) {
  const max = seed % 2 === 1 ? 64 : 1460;
  const cuts = [];
  let s = seed;
  let left = n;
  while (left > 0) {
    s = nextSeed(s);
    const len = Math.min(left, 1 + (s % max));
    cuts.push(len);
    left -= len;
  }
  return cuts;
}

/** Every chunking of a wire string, as { label, chunks }. */
export function* chunkings(wire) {
  yield { label: "whole", chunks: [wire] };
  const bytewise = [];
  for (let i = 0; i < wire.length; i++) bytewise.push(wire[i]);
  yield { label: "byte at a time", chunks: bytewise };
  for (let at = 1; at < wire.length; at++) {
    yield { label: `split at ${at}`, chunks: [wire.slice(0, at), wire.slice(at)] };
  }
  for (let seed = 1; seed <= RANDOM_SEEDS; seed++) {
    const chunks = [];
    let at = 0;
    for (const len of randomCuts(wire.length, seed)) {
      chunks.push(wire.slice(at, at + len));
      at += len;
    }
    yield { label: `random seed ${seed}`, chunks };
  }
}
