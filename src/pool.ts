// The server pool: configured URLs (shuffled unless noRandomize) plus the servers a cluster announces in
// INFO connect_urls, rotation on failure, and the per-server bookkeeping of nats-protocol.md §9.
import { ServerInfo } from "./info";
import { Rng } from "./rng";
import { ServerAddr } from "./url";

function key(s: ServerAddr): string {
  return s.host + ":" + String(s.port);
}

function contains(list: string[], k: string): boolean {
  for (let i = 0; i < list.length; i++) {
    if (list[i] === k) {
      return true;
    }
  }
  return false;
}

export class ServerPool {
  servers: ServerAddr[] = [];
  maxServers: number;
  current: ServerAddr | undefined = undefined;

  constructor(maxServers: number) {
    this.maxServers = maxServers;
  }

  add(url: string, discovered: boolean): void {
    if (this.servers.length < this.maxServers) {
      this.servers.push(new ServerAddr(url, discovered));
    }
  }

  /** Fisher–Yates with the client's generator (nats-protocol.md §9: random order unless disabled). */
  shuffle(rng: Rng): void {
    const s = this.servers;
    for (let i = s.length - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      const t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
  }

  /** Servers that may still be tried: a parsable URL, not given up on. */
  usable(): number {
    let n = 0;
    for (let i = 0; i < this.servers.length; i++) {
      if (this.servers[i].port > 0 && !this.servers[i].dead) {
        n++;
      }
    }
    return n;
  }

  /**
   * The server to try next: the first usable one after the current, in pool order. A server in lame
   * duck mode is passed over while another is usable.
   */
  next(): ServerAddr | undefined {
    const s = this.servers;
    const n = s.length;
    let start = 0;
    for (let i = 0; i < n; i++) {
      if (s[i] === this.current) {
        start = i + 1;
      }
    }
    let fallback: ServerAddr | undefined = undefined;
    for (let k = 0; k < n; k++) {
      const c = s[(start + k) % n];
      if (c.port > 0 && !c.dead) {
        if (!c.lame) {
          this.current = c;
          return c;
        }
        if (fallback === undefined) {
          fallback = c;
        }
      }
    }
    this.current = fallback;
    return fallback;
  }

  /**
   * Merge INFO connect_urls: add new servers, drop discovered ones the cluster no longer lists, keep
   * configured ones; an INFO without connect_urls changes nothing (nats-protocol.md §9). Returns
   * whether the pool changed.
   */
  merge(info: ServerInfo): boolean {
    if (info.urlCount === 0) {
      return false;
    }
    const announced: string[] = [];
    for (let u = 0; u < info.urlCount; u++) {
      const a = new ServerAddr(info.connectUrls[u], true);
      if (a.port > 0) {
        announced.push(key(a));
      }
    }
    let changed = false;
    const kept: ServerAddr[] = [];
    for (let i = 0; i < this.servers.length; i++) {
      const s = this.servers[i];
      if (!s.discovered || s === this.current || contains(announced, key(s))) {
        kept.push(s);
      } else {
        changed = true;
      }
    }
    for (let u = 0; u < announced.length; u++) {
      let known = false;
      for (let i = 0; i < kept.length && !known; i++) {
        known = key(kept[i]) === announced[u];
      }
      if (!known && kept.length < this.maxServers) {
        kept.push(new ServerAddr("nats://" + announced[u], true));
        changed = true;
      }
    }
    this.servers = kept;
    return changed;
  }
}
