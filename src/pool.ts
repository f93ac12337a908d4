// The server pool: URLs nats://[user:pass@]host[:port], tried in turn; per server the failed attempts
// since it last connected and its last auth error (the same one twice gives it up, nats-protocol.md §9).
import { ioOpen } from "./io";
import { digits, jsonString, random } from "./util";

let urls: string[] = [];
/** Failed attempts per server; -1 once it is given up. */
let fails: number[] = [];
let authErrors: string[] = [];
//#if FULL
/** The URL of the server that announced lame duck mode: tried last. */
let lame = "";
//#endif
let current = -1;
//#if FULL
let maxServers = 0;
//#endif

/** The parts of the URL parse() saw last. */
let host = "";
let port = 0;
let user: string | undefined = undefined;
let pass: string | undefined = undefined;

/** Index of the last @ in s, or -1: the last @ ends the credentials (a password may contain one). */
function lastAt(s: string): number {
  let at = -1;
  for (let i = s.indexOf("@"); i >= 0; i = s.indexOf("@", i + 1)) {
    at = i;
  }
  return at;
}

/** Parse nats://[user[:pass]@]host[:port] into host/port/user/pass; false when it is not usable. */
function parse(url: string): boolean {
  const scheme = url.indexOf("://");
  let s = scheme < 0 ? url : url.substring(scheme + 3);
  const at = lastAt(s);
  const colon = s.indexOf(":");
  user = at < 0 ? undefined : s.substring(0, colon >= 0 && colon < at ? colon : at);
  pass = at < 0 || colon < 0 || colon > at ? undefined : s.substring(colon + 1, at);
  s = s.substring(at + 1);
  const c = s.indexOf(":");
  host = c < 0 ? s : s.substring(0, c);
  port = c < 0 ? 4222 : digits(s, c + 1, s.length);
  return (scheme < 0 || url.substring(0, scheme) === "nats") && host !== "" && port > 0 && port < 65536;
}

/** A server joins the pool; discovered: announced by the cluster (profile full). */
function addServer(url: string, discovered: boolean): void {
  //#if FULL
  // a discovered server is its bare host:port, a configured one always has its scheme
  if (!discovered && url.indexOf("://") < 0) {
    url = "nats://" + url;
  }
  //#endif
  urls.push(url);
  fails.push(parse(url) ? 0 : -1);
  authErrors.push("");
}

//#if FULL
function refind(url: string): void {
  for (let i = 0; i < urls.length; i++) {
    if (urls[i] === url) {
      current = i;
    }
  }
}
//#endif

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

//#if FULL
/** The pool in a new order (discovered servers joined it); the current server stays current. */
export function shuffleServers(): void {
  // called after mergeDiscovered(), on a connection: there is a current server
  const keep = urls[current];
  for (let i = urls.length - 1; i > 0; i--) {
    const j = random(i + 1);
    swap(urls, i, j);
    swap(fails, i, j);
    swap(authErrors, i, j);
  }
  refind(keep);
}
//#endif

/** The pool: the first max of list, shuffled when asked (list is the client's own copy). */
export function resetPool(list: string[], max: number, shuffle: boolean): void {
  urls = [];
  fails = [];
  authErrors = [];
  //#if FULL
  lame = "";
  //#endif
  current = -1;
  //#if FULL
  maxServers = max;
  //#endif
  const n = list.length < max ? list.length : max;
  for (let i = n - 1; shuffle && i > 0; i--) {
    swap(list, i, random(i + 1));
  }
  for (let i = 0; i < n; i++) {
    addServer(list[i], false);
  }
}

/** Servers not given up. */
export function usable(): number {
  let n = 0;
  for (let i = 0; i < fails.length; i++) {
    if (fails[i] >= 0) {
      n++;
    }
  }
  return n;
}

/** Open a socket to the next usable server after the current one; its URL, or "" when none is left. */
export function openNext(): string {
  const n = urls.length;
  for (let k = 1; k <= n; k++) {
    const i = (current + k + n) % n;
    //#if FULL
    if (urls[i] === lame && usable() > 1) {
      continue;
    }
    //#endif
    if (fails[i] >= 0) {
      current = i;
      parse(urls[i]);
      ioOpen(host, port);
      return urls[i];
    }
  }
  return "";
}

/** The current server as nats://host:port: credentials never leave in a status detail. */
export function currentUrl(): string | undefined {
  if (current < 0) {
    return undefined;
  }
  parse(urls[current]);
  return "nats://" + host + ":" + String(port);
}

function field(name: string, v: unknown): string {
  return typeof v === "string" ? ",\"" + name + "\":" + jsonString(v) : "";
}

/** CONNECT's credential fields: the current URL's, else the options' user and pass, and the token. */
export function credentials(optUser: unknown, optPass: unknown, token: unknown): string {
  parse(urls[current]);
  const u = user !== undefined ? user : optUser;
  const p = user !== undefined ? pass : optPass;
  return field("user", u) + field("pass", p) + field("auth_token", token);
}

/** The current server connected: its count of failures and its auth error start again. */
export function serverConnected(): void {
  fails[current] = 0;
  authErrors[current] = "";
  //#if FULL
  lame = "";
  //#endif
}

/** A failed attempt on the current server; it is given up after maxAttempts (-1: never). */
export function serverFailed(maxAttempts: number): void {
  if (current >= 0 && fails[current] >= 0) {
    fails[current]++;
    if (maxAttempts >= 0 && fails[current] > maxAttempts) {
      fails[current] = -1;
    }
  }
}

/** An auth error from the current server: the same one twice in a row gives it up. */
export function serverAuthError(text: string): void {
  if (current >= 0) {
    if (authErrors[current] === text) {
      fails[current] = -1;
    }
    authErrors[current] = text;
  }
}

//#if FULL
export function serverCount(): number {
  return urls.length;
}

export function serverLame(): void {
  lame = urls[current];
}

/**
 * INFO connect_urls (host:port list): the announced servers replace the discovered ones (up to
 * maxServers; the current one stays, so do the configured ones). One pass each way: a discovered server
 * still announced joins again, with its count of failures started again. True when the pool changed.
 */
export function mergeDiscovered(announced: string[], count: number): boolean {
  const keep = urls[current];
  let changed = false;
  for (let i = urls.length - 1; i >= 0 && count > 0; i--) {
    // discovered ones leave but the current one (with a scheme: configured); announced ones are back below
    if (urls[i].indexOf("://") < 0 && i !== current) {
      // the last one takes its place (refind() finds the current one again)
      const n = urls.length - 1;
      urls[i] = urls[n];
      fails[i] = fails[n];
      authErrors[i] = authErrors[n];
      urls.pop();
      fails.pop();
      authErrors.pop();
      changed = true;
    }
  }
  for (let a = 0; a < count; a++) {
    let known = urls.length >= maxServers;
    for (let i = 0; i < urls.length && !known; i++) {
      parse(urls[i]);
      known = host + ":" + String(port) === announced[a];
    }
    if (!known) {
      addServer(announced[a], true);
      changed = true;
    }
  }
  refind(keep);
  return changed;
}
//#endif
