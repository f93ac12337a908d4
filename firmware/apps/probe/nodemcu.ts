// The probe app on NodeMCU: config from the "config" module, the library from require("nats_mcu"),
// started once the station has an IP address.
import { nodemcuPlatform } from "../nodemcu-platform";
import { WifiConfig, whenOnline } from "../nodemcu-wifi";
import { ProbeConfig, startProbe } from "./probe";

const config = require("config") as ProbeConfig & WifiConfig;
whenOnline(config, () => startProbe(require("nats_mcu"), nodemcuPlatform, config));
