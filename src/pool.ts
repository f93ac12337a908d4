// The server pool: URLs nats://[user:pass@]host[:port], tried in turn; per server the failed attempts
// since it last connected and its last auth error (the same one twice gives it up, nats-protocol.md §9).
import { ioOpen } from "./io";
import { digits, jsonString, random } from "./util";

let urls: string[] = [];
/** Failed attempts per server; -1 once it is given up. */
let fails: number[] = [];
let authErrors: string[] = [];
//#if FULL
/** Whether a server was announced by the cluster (INFO connect_urls) rather than configured. */
let found: boolean[] = [];
/** The server that announced lame duck mode: tried last. */
let lame = -1;
//#endif
let current = -1;
let maxServers = 0;

/** The parts of the URL parse() saw last. */
let host = "";
let port = 0;
let user: string | undefined = undefined;
let pass: string | undefined = undefined;

/** Index of the last @ in s, or -1. */
function lastAt(s: string): number {
  let at = s.indexOf("@");
  while (at >= 0 && s.indexOf("@", at + 1) >= 0) {
    at = s.indexOf("@", at + 1);
  }
  return at;
}

/** Parse url into host/port/user/pass; false when it is not a usable nats:// URL. */
function parse(url: string): boolean {
  let s = url;
  const scheme = s.indexOf("://");
  if (scheme >= 0) {
    if (s.substring(0, scheme) !== "nats") {
      return false;
    }
    s = s.substring(scheme + 3);
  }
  user = undefined;
  pass = undefined;
  // The last @ ends the credentials: a password may contain one.
  const at = lastAt(s);
  if (at >= 0) {
    const colon = s.indexOf(":");
    user = s.substring(0, colon >= 0 && colon < at ? colon : at);
    pass = colon >= 0 && colon < at ? s.substring(colon + 1, at) : undefined;
    s = s.substring(at + 1);
  }
  const slash = s.indexOf("/");
  if (slash >= 0) {
    s = s.substring(0, slash);
  }
  const colon = s.indexOf(":");
  host = colon >= 0 ? s.substring(0, colon) : s;
  port = colon >= 0 ? digits(s, colon + 1, s.length) : 4222;
  return host !== "" && port > 0 && port < 65536;
}

/** A server joins the pool; discovered: announced by the cluster (profile full). */
function addServer(url: string, discovered: boolean): void {
  urls.push(url);
  fails.push(parse(url) ? 0 : -1);
  authErrors.push("");
  //#if FULL
  found.push(discovered);
  //#endif
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

export function shuffleServers(): void {
  //#if FULL
  const keep = current >= 0 ? urls[current] : "";
  //#endif
  for (let i = urls.length - 1; i > 0; i--) {
    const j = random(i + 1);
    swap(urls, i, j);
    swap(fails, i, j);
    swap(authErrors, i, j);
    //#if FULL
    swap(found, i, j);
    //#endif
  }
  //#if FULL
  refind(keep);
  //#endif
}

export function resetPool(list: string[], max: number, shuffle: boolean): void {
  urls = [];
  fails = [];
  authErrors = [];
  //#if FULL
  found = [];
  lame = -1;
  //#endif
  current = -1;
  maxServers = max;
  for (let i = 0; i < list.length && i < max; i++) {
    addServer(list[i], false);
  }
  if (shuffle) {
    shuffleServers();
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
    if (i === lame && usable() > 1) {
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
  lame = -1;
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
  lame = current;
}

/** host:port of a URL (without scheme and credentials). */
function address(url: string): string {
  const at = lastAt(url);
  const scheme = url.indexOf("://");
  return url.substring(at >= 0 ? at + 1 : scheme >= 0 ? scheme + 3 : 0);
}

function listed(announced: string[], count: number, url: string): boolean {
  for (let a = 0; a < count; a++) {
    if (announced[a] === address(url)) {
      return true;
    }
  }
  return false;
}

function known(hostPort: string): boolean {
  for (let i = 0; i < urls.length; i++) {
    if (address(urls[i]) === hostPort) {
      return true;
    }
  }
  return false;
}

function removeServer(i: number): void {
  for (let k = i; k < urls.length - 1; k++) {
    urls[k] = urls[k + 1];
    fails[k] = fails[k + 1];
    authErrors[k] = authErrors[k + 1];
    found[k] = found[k + 1];
  }
  urls.pop();
  fails.pop();
  authErrors.pop();
  found.pop();
  if (lame === i) {
    lame = -1;
  } else if (lame > i) {
    lame--;
  }
}

/**
 * INFO connect_urls (host:port list): announced servers join the pool (up to maxServers), discovered
 * ones the cluster stopped announcing leave it, configured ones stay. True when the pool changed.
 */
export function mergeDiscovered(announced: string[], count: number): boolean {
  if (count === 0) {
    return false;
  }
  let changed = false;
  const keep = urls[current];
  for (let i = urls.length - 1; i >= 0; i--) {
    if (found[i] && i !== current && !listed(announced, count, urls[i])) {
      removeServer(i);
      changed = true;
    }
  }
  for (let a = 0; a < count; a++) {
    if (urls.length < maxServers && !known(announced[a])) {
      addServer("nats://" + announced[a], true);
      changed = true;
    }
  }
  refind(keep);
  return changed;
}
//#endif
