// The metrics app on NodeMCU: config from the "config" module, the library from require("nats_mcu"),
// started once the station has an IP address.
import { nodemcuPlatform } from "../nodemcu-platform";
import { WifiConfig, whenOnline } from "../nodemcu-wifi";
import { MetricsConfig, startMetrics } from "./metrics";

const config = require("config") as MetricsConfig & WifiConfig;
whenOnline(config, () => startMetrics(require("nats_mcu"), nodemcuPlatform, config));
