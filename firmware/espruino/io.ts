// The Espruino adapter (replaces src/io.ts in Espruino builds): require("net") sockets with "drain" as
// write completion, and one setInterval tick (espruino.md §4).
import { Board } from "../../src/board";
import { Ev } from "../../src/events";
export { ioJoin, ioTrim } from "./join";

export type EventHandler = (this: void, ev: number, data: string | undefined, now: number) => void;
export type WrittenHandler = (this: void) => void;

export const LANG = "nats-mcu-js";
/** Tick period: the resolution of handshake, ping, back-off and request timeouts. */
const TICK_MS = 100;
/** Raised callbacks tolerated per received chunk before the rest of it waits for the next one. */
const MAX_RESUMES = 64;

let handler: EventHandler = () => undefined;
let written: WrittenHandler = () => undefined;
let timer = -1;
let sock: EspruinoSocket | undefined = undefined;
/** Bumped per socket, so events of an old socket never reach the core. */
let gen = 0;
/** False from "end" or our end() on: Espruino throws on a write to a closed socket. */
let writable = false;
let lastError: string | undefined = undefined;
const startedAt = getTime();

/**
 * An adapter event for the core. A callback that raises (a subscription's, a request's, the status
 * callback) is reported as Raised and the client goes on: for received data with the rest of the chunk
 * (the op whose callback raised was consumed), as the NodeMCU adapter does under xpcall.
 */
function run(ev: number, data: string | undefined, now: number): void {
  let d = data;
  for (let tries = 0; tries <= MAX_RESUMES; tries++) {
    try {
      if (ev === Ev.Written) {
        written();
      } else {
        handler(ev, d, now);
      }
      return;
    } catch (e) {
      handler(Ev.Raised, String(e), 0);
      if (ev !== Ev.Data) {
        return;
      }
      d = "";
    }
  }
}

export function ioNow(): number {
  return Math.floor((getTime() - startedAt) * 1000);
}

export function ioStart(h: EventHandler, w: WrittenHandler): void {
  handler = h;
  written = w;
  if (timer < 0) {
    timer = setInterval(() => run(Ev.Tick, undefined, ioNow()), TICK_MS);
  }
}

export function ioStop(): void {
  if (timer >= 0) {
    clearInterval(timer);
    timer = -1;
  }
}

export function ioOpen(host: string, port: number): void {
  gen++;
  const g = gen;
  lastError = undefined;
  // Data can arrive before the connect callback (espruino.md §4): the core parses it either way.
  const s = require("net").connect({ host: host, port: port }, () => {
    if (g === gen) {
      run(Ev.Open, undefined, 0);
    }
  });
  sock = s;
  writable = true;
  s.on("data", (data) => {
    if (g === gen) {
      run(Ev.Data, data, 0);
    }
  });
  s.on("drain", () => {
    if (g === gen) {
      run(Ev.Written, undefined, 0);
    }
  });
  s.on("end", () => {
    if (g === gen) {
      writable = false;
    }
  });
  s.on("error", (e) => {
    if (g === gen) {
      lastError = e.message;
    }
  });
  s.on("close", () => {
    if (g === gen) {
      sock = undefined;
      gen++;
      run(Ev.Closed, lastError, 0);
    }
  });
}

export function ioWrite(data: string): void {
  if (sock !== undefined && writable) {
    sock.write(data);
  }
}

export function ioClose(): void {
  if (sock !== undefined && writable) {
    writable = false;
    sock.end();
  }
}

export function ioChunk(): number {
  return Board.SendChunkBytes;
}

export function ioSeed(): number {
  return Math.floor(Math.random() * 65536);
}
