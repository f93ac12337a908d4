// Server URLs: nats://[user:pass@]host[:port], also host[:port]; [v6]:port brackets kept off the host.
import { parseDigits } from "./chars";

export const DEFAULT_PORT = 4222;

/** One server of the pool, parsed from a URL; port -1 when the URL was malformed. */
export class ServerAddr {
  url: string;
  host = "";
  port = -1;
  user: string | undefined = undefined;
  pass: string | undefined = undefined;
  /** Learned from INFO connect_urls rather than configured. */
  discovered = false;
  /** Failed connection attempts since the last success. */
  attempts = 0;
  /** The last auth -ERR text from this server (the same one twice in a row: stop trying it). */
  lastAuthError = "";
  /** Given up on (maxReconnectAttempts, or the same auth error twice). */
  dead = false;
  /** Announced lame duck mode: moved away from while another server is usable. */
  lame = false;

  constructor(url: string, discovered: boolean) {
    this.url = url;
    this.discovered = discovered;
    let s = url;
    const scheme = s.indexOf("://");
    if (scheme >= 0) {
      if (s.substring(0, scheme) !== "nats") {
        return;
      }
      s = s.substring(scheme + 3);
    }
    let at = -1;
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) === 64) {
        at = i; // the last @: a password may contain one
      }
    }
    if (at >= 0) {
      const cred = s.substring(0, at);
      s = s.substring(at + 1);
      const colon = cred.indexOf(":");
      this.user = colon >= 0 ? cred.substring(0, colon) : cred;
      this.pass = colon >= 0 ? cred.substring(colon + 1) : undefined;
    }
    let hostEnd = s.length;
    let portStart = -1;
    if (s.indexOf("[") === 0) {
      const close = s.indexOf("]");
      if (close < 0) {
        return;
      }
      this.host = s.substring(1, close);
      if (close + 1 < s.length) {
        if (s.charCodeAt(close + 1) !== 58) {
          return;
        }
        portStart = close + 2;
      }
    } else {
      const colon = s.indexOf(":");
      if (colon >= 0) {
        hostEnd = colon;
        portStart = colon + 1;
      }
      this.host = s.substring(0, hostEnd);
    }
    let end = s.length;
    if (s.indexOf("/") >= 0) {
      end = s.indexOf("/");
    }
    const port = portStart < 0 ? DEFAULT_PORT : parseDigits(s, portStart, end);
    if (this.host.length === 0 || port < 1 || port > 65535) {
      return;
    }
    this.port = port;
  }
}
