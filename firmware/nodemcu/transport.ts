// The NodeMCU side of the core's Transport: net sockets with exactly one send in flight, the next one
// from the "sent" callback (nodemcu.md §4), and every received chunk processed under xpcall because an
// error in an ESP8266 net callback reboots the board.
import { Client, Transport } from "../../src/client";
import { Clock } from "./clock";

/** Raised callbacks tolerated per received chunk before the rest of it waits for the next one. */
const MAX_RESUMES = 64;

export class NodeMcuTransport implements Transport {
  client: Client;
  clock = new Clock();
  sock: NetSocket | undefined = undefined;
  /** The chunk being processed by runReceive (xpcall passes no arguments on Lua 5.1). */
  chunk = "";
  /** The message of the last error raised under xpcall (receive or tick). */
  raised = "";
  /** Created once, so a received chunk allocates no closure. */
  runReceive: (this: void) => void;
  onReceiveError: (this: void, message: unknown) => void;

  constructor(client: Client) {
    this.client = client;
    this.runReceive = () => {
      this.client.onData(this.chunk);
    };
    this.onReceiveError = (message: unknown) => {
      this.raised = String(message);
    };
  }

  now(): number {
    return this.clock.nowMs();
  }

  open(host: string, port: number): void {
    const sock = net.createConnection();
    this.sock = sock;
    sock.on("connection", (s) => {
      if (s === this.sock) {
        this.client.onOpen();
      }
    });
    sock.on("receive", (s, data) => {
      if (s === this.sock) {
        this.chunk = data;
        // Each raise consumed the op whose callback raised, so resuming with "" goes on with the rest.
        let tries = 0;
        while (!xpcall(this.runReceive, this.onReceiveError) && tries < MAX_RESUMES) {
          this.chunk = "";
          tries++;
          this.client.onCallbackError(this.raised);
        }
        this.chunk = "";
      }
    });
    sock.on("sent", (s) => {
      if (s === this.sock) {
        this.client.onWritten();
      }
    });
    sock.on("disconnection", (s, err) => {
      if (s === this.sock) {
        this.release(s);
        // 0 is a normal close by the other side (nodemcu.md §4), not an error.
        this.client.onClosed(err === undefined || err === 0 ? undefined : String(err));
      }
    });
    sock.connect(port, host);
  }

  write(data: string): void {
    if (this.sock !== undefined) {
      this.sock.send(data);
    }
  }

  close(): void {
    const s = this.sock;
    if (s !== undefined) {
      this.release(s);
      s.close();
      this.client.onClosed(undefined);
    }
  }

  /** Drop every handler and reference: a socket held by its own callbacks is never collected (nodemcu.md §4). */
  private release(s: NetSocket): void {
    s.on("connection", undefined);
    s.on("receive", undefined);
    s.on("sent", undefined);
    s.on("disconnection", undefined);
    this.sock = undefined;
  }
}
