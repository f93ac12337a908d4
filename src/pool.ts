// The server pool: URLs nats://[user:pass@]host[:port], tried in turn; per server the failed attempts
// since it last connected and its last auth error (the same one twice gives it up, nats-protocol.md §9).
import { ioOpen } from "./io";
import { digits, random } from "./util";

let urls: string[] = [];
/** Failed attempts per server; -1 once it is given up (conn.ts counts them). */
export let fails: number[] = [];
/** Per server its last auth error (conn.ts onErr: the same one twice in a row gives it up). */
export let authErrors: string[] = [];
//#if FULL
/** The URL of the server that announced lame duck mode: tried last. */
let lame = "";
//#endif
export let current = -1;
//#if FULL
let maxServers = 0;
//#endif

/** The parts of the URL parse() saw last: the current server's from openNext() on (mergeDiscovered() parses it again). */
let host = "";
let port = 0;
export let user: string | undefined = undefined;
export let pass: string | undefined = undefined;

/** Parse nats://[user[:pass]@]host[:port] into host/port/user/pass; false when it is not usable. */
function parse(url: string): boolean {
  const scheme = url.indexOf("://");
  let s = scheme < 0 ? url : url.substring(scheme + 3);
  // the last @ ends the credentials (a password may contain one)
  let at = -1;
  for (let i = s.indexOf("@"); i >= 0; i = s.indexOf("@", i + 1)) {
    at = i;
  }
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

/** The pool in a new order. */
function mix(): void {
  for (let i = urls.length - 1; i > 0; i--) {
    const j = random(i + 1);
    swap(urls, i, j);
    swap(fails, i, j);
    swap(authErrors, i, j);
  }
}

//#if FULL
/** The pool in a new order (discovered servers joined it); the current server stays current. */
export function shuffleServers(): void {
  // called after mergeDiscovered(), on a connection: there is a current server
  const keep = urls[current];
  mix();
  refind(keep);
}
//#endif

/** The pool: the first max strings of given (anything else is skipped), shuffled when asked. */
export function resetPool(given: unknown[], max: number, shuffle: boolean): void {
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
  for (let i = 0; i < given.length && urls.length < max; i++) {
    const u = given[i];
    if (typeof u === "string") {
      addServer(u, false);
    }
  }
  if (shuffle) {
    mix();
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

/**
 * The current server (there is one: a link was started) as nats://host:port: credentials never leave in
 * a status detail (they are in user and pass).
 */
export function currentUrl(): string {
  return "nats://" + host + ":" + String(port);
}

//#if FULL
/** The current server connected: it is no longer the lame duck (conn.ts resets its failures). */
export function serverConnected(): void {
  lame = "";
}

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
  // host, port and credentials are the current server's again
  parse(keep);
  return changed;
}
//#endif
