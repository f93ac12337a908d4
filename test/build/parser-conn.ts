// The parser test build's stand-in for src/conn.ts (and src/subs.ts): every op the parser reports goes
// to a sink object given by the test (test/support/events.js, test/lua/support.lua), with the limits
// of the case. After a protocol error the link is gone, as in the real client, so the rest is dropped.

export interface Sink {
  onInfo(this: Sink, json: string): void;
  onMsg(this: Sink, subject: string, sid: number, reply: string | undefined, payload: string, headers: string | undefined): void;
  onPing(this: Sink): void;
  onPong(this: Sink): void;
  onOk(this: Sink): void;
  onErr(this: Sink, text: string): void;
  onSkipped(this: Sink, subject: string, sid: number, bytes: number): void;
  onProtocolError(this: Sink, code: string): void;
}

let sink: Sink | undefined = undefined;
let link = -1;
let maxLine = 0;
let maxPayload = 0;

export function useSink(s: Sink, lineBytes: number, payloadBytes: number): void {
  sink = s;
  link++;
  maxLine = lineBytes;
  maxPayload = payloadBytes;
}

export function linkId(): number {
  return sink !== undefined ? link : -1;
}

export function lineLimit(): number {
  return maxLine;
}

export function payloadLimit(): number {
  return maxPayload;
}

export function onInfo(json: string): void {
  if (sink !== undefined) {
    sink.onInfo(json);
  }
}

export function onPing(): void {
  if (sink !== undefined) {
    sink.onPing();
  }
}

export function onPong(): void {
  if (sink !== undefined) {
    sink.onPong();
  }
}

export function onErr(text: string): void {
  if (sink !== undefined) {
    sink.onErr(text);
  }
}

export function onSkipped(subject: string, sid: number, bytes: number): void {
  if (sink !== undefined) {
    sink.onSkipped(subject, sid, bytes);
  }
}

export function fail(code: string): void {
  const s = sink;
  sink = undefined;
  if (s !== undefined) {
    s.onProtocolError(code);
  }
}

export function deliver(subject: string, payload: string, reply: string | undefined, sid: number, headers: string | undefined): void {
  if (sink !== undefined) {
    sink.onMsg(subject, sid, reply, payload, headers);
  }
}
