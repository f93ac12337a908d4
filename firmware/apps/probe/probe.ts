// The probe board app: a board remote-controlled over NATS, for fleet rehearsals and integration tests.
// Requests to probe.<id>.<command> (the answer goes to the request's reply subject):
//   pub    "<subject>\n<bytes>"                → publishes; answers "ok" or "refused <code>"
//   hpub   "<subject>\n<header lines>\n\n<bytes>" → publishes with headers; same answers
//   sub    "<subject>[ <queue>]"               → subscribes; every message it gets is published to
//          probe.<id>.got as "<subject>\n<reply or empty>\n<bytes>" (headers, if any, are logged);
//          answers the sid or "refused <code>"
//   unsub  "<sid>"                             → answers "ok" or "refused <code>"
//   echo   any bytes                           → answers the same bytes
//   req    "<subject>\n<timeout ms>\n<bytes>"   → a request; answers "<ok or error>\n<reply bytes>"
//   flush  → answers "ok" or the error once the PONG (or the failure) came
//   drain  → answers "draining", then drains; the result is logged as "drained <ok or error>"
//   stats  → answers "inMsgs=… outMsgs=… … servers=…"
//   stream "<subject>\n<count>\n<interval ms>" → publishes "<n>" for n = 1…count, one per interval,
//          connected or not; answers "started"; at the end logs "stream sent=<accepted> refused=<n>"
// Every status event is logged and published to probe.<id>.status as "<event> <detail>".
import { AppPlatform } from "../platform";

export interface ProbeConfig {
  boardId: string;
  servers: string | string[];
  user?: string;
  pass?: string;
  /** Connect options passed through (pingInterval, reconnectWait, …). */
  options?: NatsConnectOptions;
}


function digits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    n = n * 10 + (s.charCodeAt(i) - 48);
  }
  return n;
}

/** s split at the first `sep`: [before, after]; after is "" when sep is absent. */
function cut(s: string, sep: string): string[] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, ""] : [s.substring(0, at), s.substring(at + sep.length)];
}

export function startProbe(nats: NatsLibrary, p: AppPlatform, cfg: ProbeConfig): void {
  const id = cfg.boardId;
  const base = "probe." + id + ".";
  const o: NatsConnectOptions = cfg.options ?? {};
  o.servers = cfg.servers;
  o.name = id;
  o.user = cfg.user;
  o.pass = cfg.pass;
  const nc = nats.connect(o);
  let streaming = false;

  const refused = (): string => "refused " + nc.lastError();

  nc.onStatus((event, detail) => {
    const line = event + " " + (detail ?? "");
    p.log("status " + line);
    if (event !== "close") {
      nc.publish(base + "status", line);
    }
  });

  const forward = (subject: string, payload: string, reply: string | undefined, _sid: number, headers: string | undefined): void => {
    if (headers !== undefined) {
      p.log("headers " + subject + " " + headers);
    }
    nc.publish(base + "got", subject + "\n" + (reply ?? "") + "\n" + payload);
  };

  const stream = (subject: string, count: number, intervalMs: number): void => {
    let n = 0;
    let sent = 0;
    let lost = 0;
    streaming = true;
    p.every(intervalMs, () => {
      n++;
      if (nc.publish(subject, String(n))) {
        sent++;
      } else {
        lost++;
      }
      if (n >= count) {
        p.cancelEvery();
        streaming = false;
        p.log("stream sent=" + String(sent) + " refused=" + String(lost));
      }
    });
  };

  const answer = (command: string, payload: string, reply: string): string | undefined => {
    if (command === "echo") {
      return payload;
    }
    if (command === "pub" || command === "hpub") {
      const head = cut(payload, "\n");
      if (command === "pub") {
        return nc.publish(head[0], head[1]) ? "ok" : refused();
      }
      const body = cut(head[1], "\n\n");
      return nc.hpublish(head[0], body[0], body[1]) ? "ok" : refused();
    }
    if (command === "sub") {
      const parts = cut(payload, " ");
      const sid = parts[1] === "" ? nc.subscribe(payload, forward) : nc.subscribe(parts[0], forward, parts[1]);
      return sid > 0 ? String(sid) : refused();
    }
    if (command === "unsub") {
      return nc.unsubscribe(digits(payload)) ? "ok" : refused();
    }
    if (command === "req") {
      const a = cut(payload, "\n");
      const b = cut(a[1], "\n");
      nc.request(a[0], b[1], digits(b[0]), (err, data) => {
        nc.publish(reply, (err ?? "ok") + "\n" + (data ?? ""));
      });
      return undefined;
    }
    if (command === "flush") {
      nc.flush((err) => {
        nc.publish(reply, err ?? "ok");
      });
      return undefined;
    }
    if (command === "drain") {
      nc.publish(reply, "draining");
      nc.drain((err) => p.log("drained " + (err ?? "ok")));
      return undefined;
    }
    if (command === "stats") {
      const s = nc.stats();
      return (
        "inMsgs=" + String(s.inMsgs) + " outMsgs=" + String(s.outMsgs) + " inBytes=" + String(s.inBytes) +
        " outBytes=" + String(s.outBytes) + " reconnects=" + String(s.reconnects) + " dropped=" + String(s.dropped) +
        " skipped=" + String(s.skipped) + " unconfirmed=" + String(s.unconfirmed) +
        " pendingBytes=" + String(s.pendingBytes) + " servers=" + String(s.servers)
      );
    }
    if (command === "stream" && !streaming) {
      const a = cut(payload, "\n");
      const b = cut(a[1], "\n");
      stream(a[0], digits(b[0]), digits(b[1]));
      return "started";
    }
    return "unknown command";
  };

  nc.subscribe(base + "*", (subject, payload, reply) => {
    if (reply !== undefined) {
      const a = answer(subject.substring(base.length), payload, reply);
      if (a !== undefined) {
        nc.publish(reply, a);
      }
    }
  });
}
