// The nats-mcu library's public surface. Until the runtime adapters exist, the library is the core.
import { ServerInfo } from "./info";
import { OutQueue } from "./outqueue";
import { Parser, ParserSink } from "./parser";
import { Client, Transport } from "./client";
import { ConnectOptions, resolveConfig } from "./config";
export { Parser } from "./parser";
export type { ParserSink } from "./parser";
export { ServerInfo, parseInfo } from "./info";
export { OutQueue } from "./outqueue";
export {
  encodeConnect,
  encodeHpub,
  encodePing,
  encodePong,
  encodePub,
  encodeSub,
  encodeUnsub,
  headersError,
  jsonString,
} from "./encoder";
export type { ConnectFields } from "./encoder";
export { publishSubjectError, queueError, replyError, subscribeSubjectError } from "./subject";
export { headerStatus, headerValue, headerValue as header } from "./headers";
export { DEFAULT_MAX_PAYLOAD_BYTES, MAX_CONTROL_LINE_BYTES } from "./limits";
export {
  BOARD_MAX_CONTROL_LINE_BYTES,
  BOARD_MAX_PAYLOAD_BYTES,
  BOARD_MAX_REQUESTS,
  BOARD_MAX_SERVERS,
  BOARD_MAX_SUBS,
  BOARD_NAME,
  BOARD_OUT_BUFFER_BYTES,
  BOARD_RECV_CHUNK_BYTES,
  BOARD_RUNTIME,
  BOARD_SEND_CHUNK_BYTES,
} from "./board";

// Factories: Lua code cannot say `new`, so both runtimes construct through these.
export function createParser(sink: ParserSink, maxLineBytes: number, maxPayloadBytes: number): Parser {
  return new Parser(sink, maxLineBytes, maxPayloadBytes);
}

export function createOutQueue(maxBytes: number, maxParts: number): OutQueue {
  return new OutQueue(maxBytes, maxParts);
}

export function createServerInfo(): ServerInfo {
  return new ServerInfo();
}

export { Client } from "./client";
export type { DoneCallback, StatusCallback, Transport } from "./client";
export type { RequestCallback } from "./requests";
export { Stats } from "./stats";
export type { ConnectOptions } from "./config";
export type { MsgCallback } from "./subs";

/** A client on a transport of the caller's (the adapters' connect() does this with a socket). */
export function createClient(opts: ConnectOptions | undefined, lang: string, seed: number, transport: Transport): Client {
  const c = new Client(resolveConfig(opts, lang, seed));
  c.attach(transport);
  return c;
}
