// The probe app on Espruino: config from Storage file "probe.json", the library from require.
import { espruinoPlatform } from "../espruino-platform";
import { ProbeConfig, startProbe } from "./probe";

startProbe(require("nats-mcu"), espruinoPlatform, require("Storage").readJSON("probe.json", true) as ProbeConfig);
