// The Espruino side of the core's Transport: require("net") sockets, "drain" as write completion.
import { Client, Transport } from "../../src/client";

export class EspruinoTransport implements Transport {
  client: Client;
  sock: EspruinoSocket | undefined = undefined;
  /** Bumped per socket, so events of an old socket cannot reach the client after a new one opened. */
  generation = 0;
  lastError: string | undefined = undefined;
  /** False from "end" or our end() on: Espruino throws on a write to a closed socket. */
  writable = false;

  /** getTime() at start: now() counts milliseconds from there. */
  start: number;

  constructor(client: Client) {
    this.client = client;
    this.start = getTime();
  }

  now(): number {
    return Math.floor((getTime() - this.start) * 1000);
  }

  open(host: string, port: number): void {
    this.generation++;
    const gen = this.generation;
    const client = this.client;
    this.lastError = undefined;
    // Data can arrive before the connect callback (espruino.md §4): the core parses it either way.
    const sock = require("net").connect({ host: host, port: port }, () => {
      if (gen === this.generation) {
        client.onOpen();
      }
    });
    this.sock = sock;
    this.writable = true;
    sock.on("end", () => {
      if (gen === this.generation) {
        this.writable = false;
      }
    });
    sock.on("data", (data) => {
      if (gen === this.generation) {
        client.onData(data);
      }
    });
    sock.on("drain", () => {
      if (gen === this.generation) {
        client.onWritten();
      }
    });
    sock.on("error", (e) => {
      if (gen === this.generation) {
        this.lastError = e.message;
      }
    });
    sock.on("close", () => {
      if (gen === this.generation) {
        this.sock = undefined;
        this.generation++;
        client.onClosed(this.lastError);
      }
    });
  }

  write(data: string): void {
    if (this.sock !== undefined && this.writable) {
      this.sock.write(data);
    }
  }

  close(): void {
    if (this.sock !== undefined && this.writable) {
      this.writable = false;
      this.sock.end();
    }
  }
}
