// NodeMCU globals board apps use (nodemcu.md §5–6).
declare function require(this: void, name: "nats_mcu"): NatsLibrary;
declare function require(this: void, name: "config"): unknown;
declare function print(this: void, line: string): void;

interface AppTimer {
  alarm(this: AppTimer, intervalMs: number, mode: number, fn: (this: void, t: AppTimer) => void): boolean;
  unregister(this: AppTimer): void;
}

/** @noSelf */
declare namespace tmr {
  const ALARM_AUTO: number;
  function create(): AppTimer;
}

/** @noSelf */
declare namespace node {
  function heap(): number;
  /** µs since boot (low word). */
  function uptime(): number;
}
