// Espruino globals board apps use (espruino.md).
declare function require(name: "nats-mcu"): NatsLibrary;
declare function require(name: "Storage"): { readJSON(name: string, noExceptions: boolean): unknown };
declare function require(name: "Wifi"): {
  connect(ssid: string, options: { password: string }, callback: (this: void, err: unknown) => void): void;
};
declare function setInterval(fn: (this: void) => void, ms: number): number;
declare function clearInterval(id: number): void;
declare function getTime(): number;
declare const console: { log(this: void, line: string): void };
declare const process: { memory(this: void, gc: boolean): { free: number } };
