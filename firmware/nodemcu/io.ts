// The NodeMCU adapter (replaces src/io.ts in NodeMCU builds): net sockets with exactly one send in
// flight, the next one from "sent" (nodemcu.md §4); one tmr ALARM_AUTO tick. Received chunks and ticks
// run under xpcall: an error in an ESP8266 net callback reboots the board (nodemcu.md §4).
import { Board } from "../../src/board";
import { Ev } from "../../src/events";
import { clockMs, readUs } from "./clock";
export { ioJoin, ioTrim } from "./join";

export type EventHandler = (this: void, ev: number, data: string | undefined, now: number) => void;
export type WrittenHandler = (this: void) => void;

export const LANG = "nats-mcu-lua";
const TICK_MS = 100;
/** Raised callbacks tolerated per received chunk before the rest of it waits for the next one. */
const MAX_RESUMES = 64;

let handler: EventHandler = () => undefined;
let written: WrittenHandler = () => undefined;
let timer: NodeMcuTimer | undefined = undefined;
let sock: NetSocket | undefined = undefined;
/** The chunk being processed (xpcall passes no arguments on Lua 5.1). */
let chunk = "";
/** The message of the last error raised under xpcall. */
let raised = "";

function runReceive(this: void): void {
  handler(Ev.Data, chunk, 0);
}

function runTick(this: void): void {
  handler(Ev.Tick, undefined, clockMs());
}

function onRaise(this: void, message: unknown): void {
  raised = String(message);
}

export function ioNow(): number {
  return clockMs();
}

export function ioStart(h: EventHandler, w: WrittenHandler): void {
  handler = h;
  written = w;
  if (timer === undefined) {
    timer = tmr.create();
    timer.alarm(TICK_MS, tmr.ALARM_AUTO, () => {
      if (!xpcall(runTick, onRaise)) {
        handler(Ev.Raised, raised, 0);
      }
    });
  }
}

export function ioStop(): void {
  if (timer !== undefined) {
    timer.unregister();
    timer = undefined;
  }
}

/** Drop every handler and reference: a socket held by its own callbacks is never collected (nodemcu.md §4). */
function release(s: NetSocket): void {
  s.on("connection", undefined);
  s.on("receive", undefined);
  s.on("sent", undefined);
  s.on("disconnection", undefined);
  sock = undefined;
}

export function ioOpen(host: string, port: number): void {
  const s = net.createConnection();
  sock = s;
  s.on("connection", (c) => {
    if (c === sock) {
      handler(Ev.Open, undefined, 0);
    }
  });
  s.on("receive", (c, data) => {
    if (c === sock) {
      chunk = data;
      // Each raise consumed the op whose callback raised, so resuming with "" goes on with the rest.
      let tries = 0;
      while (!xpcall(runReceive, onRaise) && tries < MAX_RESUMES) {
        chunk = "";
        tries++;
        handler(Ev.Raised, raised, 0);
      }
      chunk = "";
    }
  });
  // The core's own handler, no closure between: one call per write, the hottest event after publish
  // (bench/README.md). Only the current socket can report: release() unregisters every handler first.
  s.on("sent", written);
  s.on("disconnection", (c, err) => {
    if (c === sock) {
      release(c);
      // 0 is a normal close by the other side (nodemcu.md §4), not an error.
      handler(Ev.Closed, err === undefined || err === 0 ? undefined : String(err), 0);
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
    release(s);
    s.close();
    // NodeMCU reports no disconnection for a close of our own
    handler(Ev.Closed, undefined, 0);
  }
}

export function ioChunk(): number {
  return Board.SendChunkBytes;
}

export function ioSeed(): number {
  return readUs() % 65537;
}
