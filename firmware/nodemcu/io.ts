// The NodeMCU adapter (replaces src/io.ts in NodeMCU builds): net sockets with exactly one send in
// flight, the next one from "sent" (nodemcu.md §4); one tmr ALARM_AUTO tick. Events run under pcall:
// an error in an ESP8266 net callback reboots the board (nodemcu.md §4).
import { Board } from "../../src/board";
import { Ev } from "../../src/events";

export type EventHandler = (this: void, ev: number, data: string | undefined, now: number) => void;
export type WrittenHandler = (this: void) => void;

export const LANG = "nats-mcu-lua";
const enum K {
  TickMs = 100,
  /** Raised callbacks tolerated per received chunk before the rest of it waits for the next one. */
  MaxResumes = 64,
  /** 2^30: 2^31 itself is not an int32 literal. */
  HalfWrap = 1073741824,
}

let handler: EventHandler;
let written: WrittenHandler;
let timer: NodeMcuTimer | undefined;
let sock: NetSocket | undefined;
/** µs since boot: tmr.now() on ESP8266, node.uptime() on ESP32 where tmr.now is missing (nodemcu.md §5). */
const readUs = tmr.now ?? node.uptime;
let lastUs = readUs();
let ms = 0;

/**
 * Milliseconds since load. Both µs counters wrap at 2^31 (~35 min); only the difference between two
 * readings is used, so the wrap is undone and the count keeps going.
 */
function clock(): number {
  const us = readUs();
  let delta = us - lastUs;
  if (delta < 0) {
    delta = delta + K.HalfWrap + K.HalfWrap;
  }
  // the µs short of a whole ms stay behind lastUs, for the next reading
  const rest = delta % 1000;
  ms += Math.floor(delta / 1000);
  lastUs = us - rest;
  return ms;
}

//#if FULL
// (the core reads it in profile full only: request deadlines)
export { clock as ioNow };
//#endif

/**
 * An adapter event for the core, under pcall: a callback that raises is reported as Raised and the
 * client goes on, for received data with the rest of the chunk (the op whose callback raised was
 * consumed, so resuming with "" goes on with the rest).
 */
function run(ev: number, data?: string): void {
  for (let tries = 0; tries <= K.MaxResumes; tries++) {
    const [ok, e] = pcall(handler, ev, data, clock());
    if (ok) {
      return;
    }
    handler(Ev.Raised, String(e), 0);
    if (ev !== Ev.Data) {
      return;
    }
    data = "";
  }
}

export function ioStart(h: EventHandler, w: WrittenHandler): void {
  handler = h;
  written = w;
  if (timer === undefined) {
    timer = tmr.create();
    timer.alarm(K.TickMs, tmr.ALARM_AUTO, () => run(Ev.Tick));
  }
}


export function ioStop(): void {
  if (timer !== undefined) {
    timer.unregister();
    timer = undefined;
  }
}

/** The current socket is gone: its "sent" no longer reaches the core (the others check), Closed is reported. */
function ended(s: NetSocket, reason: string | undefined): void {
  s.on("sent", undefined);
  sock = undefined;
  run(Ev.Closed, reason);
}

/** "connection" (no data) and "receive" of the current socket. */
function onSocket(s: NetSocket, data?: string): void {
  if (s === sock) {
    run(data === undefined ? Ev.Open : Ev.Data, data);
  }
}

export function ioOpen(host: string, port: number): void {
  const s = net.createConnection();
  sock = s;
  // The callbacks hold no reference to the socket (it is their argument): a closed one is collected.
  s.on("connection", onSocket);
  s.on("receive", onSocket);
  // The core's own handler, no closure between: one call per write, the hottest event after publish
  // (bench/README.md); it calls back nothing of the application's.
  s.on("sent", written);
  s.on("disconnection", (c, err) => {
    if (c === sock) {
      // 0 is a normal close by the other side (nodemcu.md §4), not an error.
      let reason: string | undefined;
      if (err !== undefined && err !== 0) {
        reason = String(err);
      }
      ended(c, reason);
    }
  });
  s.connect(port, host);
}

export function ioWrite(data: string): void {
  if (sock !== undefined) {
    sock.send(data);
  }
}

export function ioClose(): void {
  const s = sock;
  if (s !== undefined) {
    s.close();
    // NodeMCU reports no disconnection for a close of our own
    ended(s, undefined);
  }
}

export function ioChunk(): number {
  return Board.SendChunkBytes;
}

/**
 * The out-queue's ops joined for one write by table.concat over the range, which copies each byte once
 * (a .. loop would copy the growing string again for every op); their payloads let go. No slot is
 * removed: that would free nothing, as a Lua table keeps its array part until a rehash (ltable.c).
 */
export function ioJoin(parts: string[], from: number, to: number): string {
  // eslint-disable-next-line no-restricted-syntax -- Lua's table.concat, not Array#concat
  const s = luaTable.concat(parts, "", from + 1, to);
  for (let i = from + 1; i < to; i += 3) {
    parts[i] = "";
  }
  return s;
}

export function ioSeed(): number {
  return readUs() % 65537;
}

/** ESP8266: a number (from the MAC); ESP32: a string "0x…". */
export function ioId(): string {
  return String(node.chipid());
}
