// The metrics app on NodeMCU: config from the "config" module, the library from require("nats_mcu"),
// started once the station has an IP address.
import { WifiConfig, whenOnline } from "../nodemcu-wifi";
import { MetricsConfig, startMetrics } from "./metrics";
import { Clock } from "../../nodemcu/clock";

const timer = tmr.create();
const clock = new Clock();
const config = require("config") as MetricsConfig & WifiConfig;
whenOnline(config, () =>
  startMetrics(
    require("nats_mcu"),
    {
      log: (line) => print(line),
      every: (ms, fn) => {
        timer.alarm(ms, tmr.ALARM_AUTO, () => fn());
      },
      cancelEvery: () => timer.unregister(),
      uptimeMs: () => clock.nowMs(),
      freeMemory: () => node.heap(),
    },
    config,
  ),
);
