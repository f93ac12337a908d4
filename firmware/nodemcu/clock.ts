// Milliseconds since start from NodeMCU's µs counters: tmr.now() on ESP8266, node.uptime() on ESP32
// where tmr.now is missing (nodemcu.md §5). Both wrap at 2^31 µs (~35 min); only the difference
// between two readings is used, so the wrap is undone and the count keeps going.

const HALF_WRAP = 1073741824; // 2^30: 2^31 itself is not an int32 literal

export class Clock {
  lastUs: number;
  ms = 0;
  restUs = 0;

  constructor() {
    this.lastUs = Clock.readUs();
  }

  static readUs(): number {
    const now = tmr.now;
    return now !== undefined ? now() : node.uptime();
  }

  /** Milliseconds elapsed since the clock was created. */
  nowMs(): number {
    const us = Clock.readUs();
    let delta = us - this.lastUs;
    if (delta < 0) {
      delta = delta + HALF_WRAP + HALF_WRAP;
    }
    this.lastUs = us;
    this.restUs += delta;
    const whole = Math.floor(this.restUs / 1000);
    this.ms += whole;
    this.restUs -= whole * 1000;
    return this.ms;
  }
}
