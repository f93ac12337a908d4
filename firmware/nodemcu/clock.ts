// Milliseconds since start from NodeMCU's µs counters: tmr.now() on ESP8266, node.uptime() on ESP32
// where tmr.now is missing (nodemcu.md §5). Both wrap at 2^31 µs (~35 min); only the difference
// between two readings is used, so the wrap is undone and the count keeps going.

const HALF_WRAP = 1073741824; // 2^30: 2^31 itself is not an int32 literal

export function readUs(): number {
  const now = tmr.now;
  return now !== undefined ? now() : node.uptime();
}

let lastUs = readUs();
let ms = 0;
let restUs = 0;

/** Milliseconds elapsed since this module was loaded. */
export function clockMs(): number {
  const us = readUs();
  let delta = us - lastUs;
  if (delta < 0) {
    delta = delta + HALF_WRAP + HALF_WRAP;
  }
  lastUs = us;
  restUs += delta;
  const whole = Math.floor(restUs / 1000);
  ms += whole;
  restUs -= whole * 1000;
  return ms;
}
