// The test build's adapter (replaces src/io.ts in test builds): a scripted fake transport and clock given
// by the test (test/support/scenario.js, test/lua/support.lua), and adapter events sent by the test.
import { Ev } from "../../src/events";
export { ioJoin } from "../../firmware/espruino/join";

export type EventHandler = (this: void, ev: number, data: string | undefined, now: number) => void;
export type WrittenHandler = (this: void) => void;

/** What the test records: open, write, close; now() is the scenario's clock. */
export interface Transport {
  open(this: Transport, host: string, port: number): void;
  write(this: Transport, data: string): void;
  close(this: Transport): void;
  now(this: Transport): number;
}

export const LANG = "nats-mcu";
let transport: Transport | undefined = undefined;
let handler: EventHandler | undefined = undefined;
let written: WrittenHandler | undefined = undefined;
let seed = 1;
let chunk = 1460;
let id = "";

export function useTransport(t: Transport, s: number): void {
  transport = t;
  seed = s;
  chunk = 1460;
  id = "";
}

/** An adapter event, as the runtime's adapter would report it. */
export function adapterEvent(ev: number, data: string | undefined, now: number): void {
  if (ev === Ev.Written) {
    if (written !== undefined) {
      written();
    }
  } else if (handler !== undefined) {
    handler(ev, data, now);
  }
}

/** The core's handler of write completion, for a test that calls it as a board's firmware does (bench/lua/cost.lua). */
export function writtenHandler(): WrittenHandler | undefined {
  return written;
}

export function setChunk(n: number): void {
  chunk = n;
}

export function ioStart(h: EventHandler, w: WrittenHandler): void {
  handler = h;
  written = w;
}

export function ioStop(): void {
  // the test's clock drives ticks; nothing to stop
}

export function ioOpen(host: string, port: number): void {
  if (transport !== undefined) {
    transport.open(host, port);
  }
}

export function ioWrite(data: string): void {
  if (transport !== undefined) {
    transport.write(data);
  }
}

export function ioClose(): void {
  if (transport !== undefined) {
    transport.close();
  }
}

export function ioNow(): number {
  return transport !== undefined ? transport.now() : 0;
}

export function ioChunk(): number {
  return chunk;
}

export function ioSeed(): number {
  return seed;
}

/** The board id the test gives (setId); "" by default, as on a runtime without one. */
export function setId(s: string): void {
  id = s;
}

export function ioId(): string {
  return id;
}
