// The metrics app on Espruino: config from Storage file "metrics.json" (Wi-Fi joined first when it
// names an SSID), the library from require.
import { espruinoPlatform } from "../espruino-platform";
import { EspruinoWifiConfig, whenOnline } from "../espruino-wifi";
import { MetricsConfig, startMetrics } from "./metrics";

const config = require("Storage").readJSON("metrics.json", true) as MetricsConfig & EspruinoWifiConfig;
whenOnline(config, espruinoPlatform.log, () => startMetrics(require("nats-mcu"), espruinoPlatform, config));
