// What the client takes from INFO's JSON (nats-protocol.md §3) without a JSON library: booleans and
// numbers by key, and (profile full) the connect_urls strings, kept up to a bound. A key is found as
// "key": which cannot occur inside a JSON string value, where quotes are escaped.

/** The raw value after "key": up to the next , } or blank (numbers and booleans). */
export function infoValue(json: string, key: string): string {
  const k = json.indexOf("\"" + key + "\":");
  if (k < 0) {
    return "";
  }
  let a = k + key.length + 3;
  while (json.charCodeAt(a) === 32) {
    a++;
  }
  let b = a;
  while (b < json.length && json.charCodeAt(b) !== 44 && json.charCodeAt(b) !== 125 && json.charCodeAt(b) !== 32) {
    b++;
  }
  return json.substring(a, b);
}

export function infoTrue(json: string, key: string): boolean {
  return infoValue(json, key) === "true";
}

//#if FULL
/** A non-negative integer value of INFO (max_payload), or 0. */
export function infoNumber(json: string, key: string): number {
  const v = infoValue(json, key);
  let n = 0;
  for (let i = 0; i < v.length && i < 10; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      return 0;
    }
    n = n * 10 + d;
  }
  return n;
}

const urls: string[] = [];
let count = 0;

/** The strings of the "connect_urls" array, at most max of them (urlCount() says how many). */
export function infoUrls(json: string, max: number): string[] {
  count = 0;
  const k = json.indexOf("\"connect_urls\":");
  // an INFO cut to the line limit (parser.ts) has no ]: what fits is kept, a cut-off last URL dropped
  let end = k < 0 ? -1 : json.indexOf("]", k);
  if (k >= 0 && end < 0) {
    end = json.length;
  }
  let at = k < 0 ? -1 : json.indexOf("\"", k + 15);
  while (at >= 0 && at < end && count < max) {
    const close = json.indexOf("\"", at + 1);
    if (close < 0) {
      break;
    }
    const u = json.substring(at + 1, close);
    if (count === urls.length) {
      urls.push(u);
    } else {
      urls[count] = u;
    }
    count++;
    at = json.indexOf("\"", close + 1);
  }
  return urls;
}

export function urlCount(): number {
  return count;
}
//#endif
