// The probe app on NodeMCU: config from the "config" module, the library from require("nats_mcu").
import { ProbeConfig, startProbe } from "./probe";

startProbe(require("nats_mcu"), (line) => print(line), require("config") as ProbeConfig);
