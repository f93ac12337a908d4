// The parts of Espruino's API the adapter uses (espruino.md §4; Espruino's socketserver.c).

interface EspruinoSocketError {
  code: number;
  message: string;
}

interface EspruinoSocket {
  on(event: "data", fn: (this: void, data: string) => void): void;
  on(event: "drain" | "end", fn: (this: void) => void): void;
  on(event: "close", fn: (this: void, hadError: boolean) => void): void;
  on(event: "error", fn: (this: void, e: EspruinoSocketError) => void): void;
  /** Appends to the socket's send buffer; "drain" fires once all of it has been sent. */
  write(data: string): void;
  end(): void;
}

interface EspruinoNet {
  connect(options: { host: string; port: number }, onConnect: (this: void) => void): EspruinoSocket;
}

declare function require(name: "net"): EspruinoNet;
declare function setInterval(fn: (this: void) => void, ms: number): number;
declare function clearInterval(id: number): void;
/** The board's serial number (derived from the chip's MAC on ESP32 and ESP8266). */
declare function getSerial(): string;
/** Seconds since boot, as a float. */
declare function getTime(): number;
