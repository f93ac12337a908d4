// Joining Wi-Fi before the first connect on Espruino. A board given no SSID (a board whose saved
// network rejoins by itself, Espruino on Linux, a simulated board already online) starts at once.
export interface EspruinoWifiConfig {
  ssid?: string;
  password?: string;
}

/** Calls ready() once the station has joined cfg.ssid, or at once when no SSID is configured. */
export function whenOnline(cfg: EspruinoWifiConfig, log: (this: void, line: string) => void, ready: (this: void) => void): void {
  const ssid = cfg.ssid;
  if (ssid === undefined || ssid === "") {
    ready();
    return;
  }
  require("Wifi").connect(ssid, { password: cfg.password ?? "" }, (err) => {
    // Wifi.connect reports success with a null err (espruino.com/Reference#l_Wifi_connect)
    if (typeof err !== "string") {
      ready();
    } else {
      log("wifi " + err);
    }
  });
}
