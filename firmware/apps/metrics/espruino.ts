// The metrics app on Espruino: config from Storage file "metrics.json", the library from require.
import { espruinoPlatform } from "../espruino-platform";
import { MetricsConfig, startMetrics } from "./metrics";

startMetrics(require("nats-mcu"), espruinoPlatform, require("Storage").readJSON("metrics.json", true) as MetricsConfig);
