// The metrics board app: publishes uptime, free memory, a simulated sensor reading and its own count of
// messages published since boot (this one included) every interval to metrics.<board-id>.<name>, answers cmd.<board-id>.ping, and on cmd.<board-id>.stop stops publishing
// and replies with its counts ("<sent> <refused>"), so a peer can check that nothing was lost. Optional
// config: payloadBytes (each payload padded with spaces to that size) and options (client options for
// connect, e.g. pingInterval; servers and name come from the config).

import { AppPlatform } from "../platform";

export interface MetricsConfig {
  boardId: string;
  servers: string | string[];
  intervalMs: number;
  payloadBytes?: number;
  options?: NatsConnectOptions;
}

/** A made-up sensor: a temperature-like integer that wanders between 18 and 28. */
function sensorReading(n: number): number {
  return 18 + ((n * 7) % 11);
}

export function startMetrics(nats: NatsLibrary, p: AppPlatform, cfg: MetricsConfig): void {
  const id = cfg.boardId;
  const prefix = "metrics." + id + ".";
  const o = cfg.options || {};
  o.servers = cfg.servers;
  o.name = id;
  const nc = nats.connect(o);
  const pad = cfg.payloadBytes ?? 0;
  let sent = 0;
  let refused = 0;
  let rounds = 0;
  let running = true;

  nc.onStatus((event, detail) => {
    p.log("status " + event + " " + (detail ?? ""));
  });

  nc.subscribe("cmd." + id + ".*", (subject, payload, reply) => {
    if (reply === undefined) {
      return;
    }
    if (subject === "cmd." + id + ".stop") {
      running = false;
      p.cancelEvery();
      nc.publish(reply, String(sent) + " " + String(refused));
    } else if (subject === "cmd." + id + ".ping") {
      nc.publish(reply, "pong " + payload);
    }
  });

  const publish = (name: string, value: number): void => {
    let text = String(value);
    while (text.length < pad) {
      text += " ";
    }
    if (nc.publish(prefix + name, text)) {
      sent++;
    } else {
      refused++;
      p.log("refused " + nc.lastError());
    }
  };

  p.every(cfg.intervalMs, () => {
    if (!running || nc.status() !== "connected") {
      return;
    }
    rounds++;
    publish("uptime", p.uptimeMs());
    publish("free", p.freeMemory());
    publish("sensor", sensorReading(rounds));
    publish("sent", sent + 1);
  });
}
