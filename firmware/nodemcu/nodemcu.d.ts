// The parts of NodeMCU's API the adapter uses (nodemcu.md §4–6). Modules are @noSelf namespaces (dot
// calls); socket and timer methods take an explicit `this` (colon calls), as TSTL expects (dialect.md §9).

interface NetSocket {
  on(this: NetSocket, event: "receive", fn: ((this: void, s: NetSocket, data: string) => void) | undefined): void;
  on(this: NetSocket, event: "connection" | "sent", fn: ((this: void, s: NetSocket) => void) | undefined): void;
  on(this: NetSocket, event: "disconnection", fn: ((this: void, s: NetSocket, err: unknown) => void) | undefined): void;
  connect(this: NetSocket, port: number, host: string): void;
  /** One send in flight, at most 1460 bytes; "sent" fires when it is out (nodemcu.md §4). */
  send(this: NetSocket, data: string): void;
  close(this: NetSocket): void;
}

interface NodeMcuTimer {
  alarm(this: NodeMcuTimer, intervalMs: number, mode: number, fn: (this: void, t: NodeMcuTimer) => void): boolean;
  unregister(this: NodeMcuTimer): void;
}

/** @noSelf */
declare namespace net {
  function createConnection(): NetSocket;
}

/** @noSelf */
declare namespace tmr {
  const ALARM_AUTO: number;
  function create(): NodeMcuTimer;
  /** µs since boot, 31 bits; ESP8266 only (nil on ESP32, nodemcu.md §5). */
  const now: ((this: void) => number) | undefined;
}

/** @noSelf */
declare namespace node {
  /** ESP8266: a number; ESP32: a string "0x…" (both from the MAC). */
  function chipid(): number | string;
  /** µs since boot; the first of two returns (low word) is what a single-value call yields. */
  function uptime(): number;
}

/**
 * pcall(fn, ev, data, now): calls fn(ev, data, now); true, or false and the error raised. The two
 * values are Lua's own (a LuaMultiReturn: `const [ok, e] = pcall(...)` makes two locals, no table).
 */
declare function pcall(
  this: void,
  fn: (this: void, ev: number, data: string | undefined, now: number) => void,
  ev: number,
  data: string | undefined,
  now: number,
): [boolean, unknown] & { readonly __tstlMultiReturn: unknown };

/** Lua's table library (TSTL refuses some ambient names, dialect.md §9: declared apart, renamed). */
/** @noSelf */
interface LuaTableLib {
  concat(this: void, parts: string[], sep: string, from: number, to: number): string;
}
/** @customName table */
declare const luaTable: LuaTableLib;
