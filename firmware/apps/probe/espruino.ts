// The probe app on Espruino: config from Storage file "probe.json", the library from require.
import { ProbeConfig, startProbe } from "./probe";

let timer = -1;
startProbe(
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
  },
  require("Storage").readJSON("probe.json", true) as ProbeConfig,
);
