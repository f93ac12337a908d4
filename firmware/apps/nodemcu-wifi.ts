// Waiting for an IP address before the first connect, the portable way (nodemcu.md §6: the Wi-Fi APIs
// differ per branch; never assume connectivity at boot). ESP8266 (release) usually rejoins its saved
// network by itself; ESP32 (dev-esp32) joins only after wifi.start() and wifi.sta.connect().

export interface WifiConfig {
  ssid?: string;
  pwd?: string;
}

/** Calls ready() once the station has an IP address: the first time only (got-IP fires again after each Wi-Fi loss). */
export function whenOnline(cfg: WifiConfig, onIp: (this: void) => void): void {
  let online = false;
  const ready = (): void => {
    if (!online) {
      online = true;
      onIp();
    }
  };
  const ssid = cfg.ssid ?? "";
  const pwd = cfg.pwd ?? "";
  const eventmon = wifi.eventmon;
  if (eventmon !== undefined) {
    // ESP8266
    if (wifi.sta.getip() !== undefined) {
      ready();
      return;
    }
    eventmon.register(eventmon.STA_GOT_IP, () => ready());
    if (wifi.setmode !== undefined && ssid !== "") {
      wifi.setmode(wifi.STATION);
      wifi.sta.config({ ssid: ssid, pwd: pwd, auto: true });
    }
    return;
  }
  // ESP32: mode, start, config, connect, in that order (connect before start fails)
  const on = wifi.sta.on;
  if (on !== undefined) {
    on("got_ip", () => ready());
  }
  if (wifi.mode !== undefined) {
    wifi.mode(wifi.STATION);
  }
  if (wifi.start !== undefined) {
    wifi.start();
  }
  wifi.sta.config({ ssid: ssid, pwd: pwd, auto: true });
  const connect = wifi.sta.connect;
  if (connect !== undefined) {
    connect();
  }
}
