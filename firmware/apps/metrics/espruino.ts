// The metrics app on Espruino: config from Storage file "metrics.json", the library from require.
import { MetricsConfig, startMetrics } from "./metrics";

let timer = -1;
const config = require("Storage").readJSON("metrics.json", true) as MetricsConfig;
startMetrics(
  require("nats-mcu"),
  {
    log: (line) => console.log(line),
    every: (ms, fn) => {
      timer = setInterval(fn, ms);
    },
    cancelEvery: () => {
      if (timer >= 0) {
        clearInterval(timer);
      }
    },
    uptimeMs: () => Math.floor(getTime() * 1000),
    freeMemory: () => process.memory(false).free,
  },
  config,
);
