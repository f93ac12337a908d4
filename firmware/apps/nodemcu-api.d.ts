// NodeMCU globals board apps use (nodemcu.md §5–6).
declare function require(this: void, name: "nats_mcu"): NatsLibrary;
declare function require(this: void, name: "config"): unknown;
declare function print(this: void, line: string): void;

// tmr and node.uptime come from the adapter's declarations (firmware/nodemcu/nodemcu.d.ts).
/** @noSelf */
declare namespace node {
  function heap(): number;
}

interface WifiStation {
  config(this: void, cfg: { ssid: string; pwd: string; auto: boolean }): boolean;
  /** ESP8266: ip, netmask, gateway, or nil before an address is assigned. */
  getip(this: void): string | undefined;
  /** ESP32 only. */
  connect: ((this: void) => void) | undefined;
  /** ESP32 only. */
  on: ((this: void, event: "got_ip", fn: (this: void, event: string, info: unknown) => void) => void) | undefined;
}

/** @noSelf */
declare namespace wifi {
  const STATION: number;
  const sta: WifiStation;
  /** ESP8266 only. */
  const eventmon: { STA_GOT_IP: number; register(this: void, event: number, fn: (this: void, info: unknown) => void): void } | undefined;
  /** ESP8266. */
  const setmode: ((this: void, mode: number) => number) | undefined;
  /** ESP32. */
  const mode: ((this: void, mode: number) => void) | undefined;
  /** ESP32: the station starts only when told to. */
  const start: ((this: void) => void) | undefined;
}
