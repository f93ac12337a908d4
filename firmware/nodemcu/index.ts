// The nats-mcu library for NodeMCU boards: the core plus connect(), which wires it to a net socket and
// one tmr ALARM_AUTO tick.
import { Client } from "../../src/client";
import { ConnectOptions, resolveConfig } from "../../src/config";
import { Clock } from "./clock";
import { NodeMcuTransport } from "./transport";

export * from "../../src/index";

/** Tick period: the resolution of handshake, ping and close timeouts. */
const TICK_MS = 100;

export function connect(opts?: ConnectOptions): Client {
  // The µs clock at this moment depends on boot and Wi-Fi timing: enough of a seed for jitter and inbox names.
  const client = new Client(resolveConfig(opts, "nats-mcu-lua", Clock.readUs() % 65537));
  const transport = new NodeMcuTransport(client);
  client.attach(transport);
  // The tick runs application callbacks (request timeouts, status events): an error raised there would
  // make the firmware restart the board (nodemcu.md §4), so it is caught and reported like a receive's.
  const runTick = (): void => client.tick(transport.now());
  tmr.create().alarm(TICK_MS, tmr.ALARM_AUTO, (t) => {
    if (!xpcall(runTick, transport.onReceiveError)) {
      client.onCallbackError(transport.raised);
    }
    if (client.closeEmitted) {
      t.unregister();
    }
  });
  return client;
}
