// The probe app on Espruino: config from Storage file "probe.json", the library from require.
import { ProbeConfig, startProbe } from "./probe";

startProbe(require("nats-mcu"), (line) => console.log(line), require("Storage").readJSON("probe.json", true) as ProbeConfig);
