// What the runtime adapter does for the core. A build replaces this file with the runtime's own
// (firmware/<runtime>/io.ts, or test/support/io-test.ts for test builds); here it is only declared.
// One socket at a time, one write in flight, one periodic tick.

/** The handler of adapter events (Ev in events.ts): socket opened, data, closed, tick, raised. */
export type EventHandler = (this: void, ev: number, data: string | undefined, now: number) => void;
/** The handler of write completion: called once per ioWrite, when that write has gone (out.ts onWritten). */
export type WrittenHandler = (this: void) => void;

/** The name of the runtime in CONNECT ("nats-mcu-js", "nats-mcu-lua"). */
export declare const LANG: string;
/** Start the tick and route socket events to h, write completions to w (called by connect()). */
export declare function ioStart(h: EventHandler, w: WrittenHandler): void;
/** Stop the tick (the client closed for good). */
export declare function ioStop(): void;
export declare function ioOpen(host: string, port: number): void;
/** Write data (at most ioChunk() bytes); the adapter reports Written when it has gone. */
export declare function ioWrite(data: string): void;
/** Close the socket; the adapter reports Closed (the board adapters within this call). */
export declare function ioClose(): void;
/** Milliseconds on the tick's clock, read now (API calls happen between ticks). */
export declare function ioNow(): number;
/** The largest single write: the board's send chunk (nodemcu.md §4: one segment, one "sent"). */
export declare function ioChunk(): number;
/**
 * parts[from] .. parts[to - 1] of the out-queue's ring (three slots per op: line, payload, end) joined,
 * each byte copied once (Lua: table.concat with a range); their payload slots emptied, and slots given
 * back where that frees memory (join.ts).
 */
export declare function ioJoin(parts: string[], from: number, to: number): string;
/** A seed for jitter, shuffling and inbox names. */
export declare function ioSeed(): number;
/**
 * This board's name in the request inbox, unique in a fleet (the chip's serial or id), or "" when the
 * runtime has none: a seed alone draws from 65,537 inboxes, which boards of a fleet would share.
 */
export declare function ioId(): string;
