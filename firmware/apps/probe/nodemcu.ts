// The probe app on NodeMCU: config from the "config" module, the library from require("nats_mcu"),
// started once the station has an IP address.
import { WifiConfig, whenOnline } from "../nodemcu-wifi";
import { ProbeConfig, startProbe } from "./probe";

const timer = tmr.create();
const config = require("config") as ProbeConfig & WifiConfig;
whenOnline(config, () =>
  startProbe(
    require("nats_mcu"),
    {
      log: (line) => print(line),
      every: (ms, fn) => {
        timer.alarm(ms, tmr.ALARM_AUTO, () => fn());
      },
      cancelEvery: () => timer.unregister(),
    },
    config,
  ),
);
