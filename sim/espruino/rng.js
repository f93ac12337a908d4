// Seeded random streams for the emulator. Every random choice draws from a stream named after its
// purpose (and the connection it belongs to), so one choice never shifts another: the same seed gives
// the same chunk sizes and the same data-before-connect decisions whatever else the app does.

const DATA_BEFORE_CONNECT_PROBABILITY = 1 / 3; // espruino.md §4: 2 of 6 runs

function hashString(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/** mulberry32 over a 32-bit state derived from the seed and the stream name; returns floats in [0, 1). */
export function randomStream(seed, name) {
  let state = (hashString(`${seed}/${name}`) ^ Math.imul(Number(seed) | 0, 0x9e3779b1)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether connection number `index` (0-based, in net.connect order) of a board seeded `seed` sees data before its connect callback. */
export function dataBeforeConnect(seed, index) {
  return randomStream(seed, `connection-order/${index}`)() < DATA_BEFORE_CONNECT_PROBABILITY;
}
