// The Espruino adapter (replaces src/io.ts in Espruino builds): require("net") sockets with "drain" as
// write completion, and one setInterval tick (espruino.md §4).
import { Board } from "../../src/board";
import { Ev } from "../../src/events";
export { ioJoin } from "./join";

export type EventHandler = (this: void, ev: number, data: string | undefined, now: number) => void;
export type WrittenHandler = (this: void) => void;

export const LANG = "nats-mcu-js";
/** Tick period: the resolution of handshake, ping, back-off and request timeouts. */
const TICK_MS = 100;
/** Raised callbacks tolerated per received chunk before the rest of it waits for the next one. */
const MAX_RESUMES = 64;

let handler: EventHandler;
let written: WrittenHandler;
let timer: number | undefined = undefined;
/** The current socket: events of any other never reach the core. */
let sock: EspruinoSocket | undefined = undefined;

export function ioNow(): number {
  return getTime() * 1000;
}

/**
 * An adapter event for the core. A callback that raises (a subscription's, a request's, the status
 * callback) is reported as Raised and the client goes on: for received data with the rest of the chunk
 * (the op whose callback raised was consumed), as the NodeMCU adapter does under pcall.
 */
function run(ev: number, data?: string): void {
  for (let tries = 0; tries <= MAX_RESUMES; tries++) {
    try {
      handler(ev, data, ioNow());
      return;
    } catch (e) {
      handler(Ev.Raised, String(e), 0);
      if (ev !== Ev.Data) {
        return;
      }
      data = "";
    }
  }
}

export function ioStart(h: EventHandler, w: WrittenHandler): void {
  handler = h;
  written = w;
  if (timer === undefined) {
    timer = setInterval(() => run(Ev.Tick), TICK_MS);
  }
}

export function ioStop(): void {
  if (timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}

export function ioOpen(host: string, port: number): void {
  let reason: string | undefined = undefined;
  // Data can arrive before the connect callback (espruino.md §4): the core parses it either way.
  const s = require("net").connect({ host: host, port: port }, () => {
    if (s === sock) {
      run(Ev.Open);
    }
  });
  sock = s;
  s.on("data", (data) => {
    if (s === sock) {
      run(Ev.Data, data);
    }
  });
  // write completion: the core's own handler (it calls back nothing of the application's)
  s.on("drain", () => {
    if (s === sock) {
      written();
    }
  });
  s.on("error", (e) => {
    reason = e.message;
  });
  s.on("close", () => {
    if (s === sock) {
      sock = undefined;
      run(Ev.Closed, reason);
    }
  });
}

export function ioWrite(data: string): void {
  // only while the core's link is open: it writes nothing once the socket closed or is closing
  if (sock !== undefined) {
    sock.write(data);
  }
}

/** Close the socket; Closed is reported now (Espruino throws on a write to a closing socket). */
export function ioClose(): void {
  const s = sock;
  if (s !== undefined) {
    sock = undefined;
    s.end();
    run(Ev.Closed);
  }
}

export function ioChunk(): number {
  return Board.SendChunkBytes;
}

export function ioSeed(): number {
  return Math.random() * 65536;
}

export function ioId(): string {
  return getSerial();
}
