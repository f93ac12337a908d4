// The nats-mcu library for Espruino boards: the core plus connect(), which wires it to a net socket
// and one setInterval tick.
import { Client } from "../../src/client";
import { ConnectOptions, resolveConfig } from "../../src/config";
import { EspruinoTransport } from "./transport";

export * from "../../src/index";

/** Tick period: the resolution of handshake, ping and close timeouts. */
const TICK_MS = 100;

export function connect(opts?: ConnectOptions): Client {
  const client = new Client(resolveConfig(opts, "nats-mcu-js", Math.floor(Math.random() * 65536)));
  const transport = new EspruinoTransport(client);
  client.attach(transport);
  const timer = setInterval(() => {
    client.tick(transport.now());
    if (client.closeEmitted) {
      clearInterval(timer);
    }
  }, TICK_MS);
  return client;
}
