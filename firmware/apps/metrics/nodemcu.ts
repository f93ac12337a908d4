// The metrics app on NodeMCU: config from the "config" module, the library from require("nats_mcu").
import { MetricsConfig, startMetrics } from "./metrics";

const timer = tmr.create();
startMetrics(
  require("nats_mcu"),
  {
    log: (line) => print(line),
    every: (ms, fn) => {
      timer.alarm(ms, tmr.ALARM_AUTO, () => fn());
    },
    cancelEvery: () => timer.unregister(),
    uptimeMs: () => Math.floor(node.uptime() / 1000),
    freeMemory: () => node.heap(),
  },
  require("config") as MetricsConfig,
);
