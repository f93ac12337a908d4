// What the client takes from INFO's JSON (nats-protocol.md §3) without a JSON library, as nats-server
// writes it (Go's encoding/json: no blanks, "key":value). A key is found as "key": which cannot occur
// inside a JSON string value, where quotes are escaped.
//#if FULL
import { digits } from "./util";
//#endif

export function infoTrue(json: string, key: string): boolean {
  return json.indexOf("\"" + key + "\":true") >= 0;
}

//#if FULL
/** An integer value of 1 to 9 digits followed by a comma (max_payload, never the last key), or -1. */
export function infoNumber(json: string, key: string): number {
  const k = json.indexOf("\"" + key + "\":");
  const a = k + key.length + 3;
  return k < 0 ? -1 : digits(json, a, json.indexOf(",", a));
}

/**
 * The strings of the "connect_urls" array (host:port, nothing escaped), at most max of them. An INFO
 * cut to the line limit (parser.ts) has no ]: what fits is kept, a cut-off last URL dropped.
 */
export function infoUrls(json: string, max: number): string[] {
  const urls: string[] = [];
  const k = json.indexOf("\"connect_urls\":[");
  // at the quote that opens a URL (past the end or at anything else: no more URLs)
  let at = k + 16;
  while (k >= 0 && urls.length < max && json.charCodeAt(at) === 34) {
    const close = json.indexOf("\"", at + 1);
    if (close < 0) {
      break;
    }
    urls.push(json.substring(at + 1, close));
    at = close + 2;
  }
  return urls;
}
//#endif
