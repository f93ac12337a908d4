// The probe board app: a board remote-controlled over NATS, for fleet rehearsals and integration tests.
// Requests to probe.<id>.<command> (replies go to the request's reply subject):
//   pub    payload "<subject>\n<bytes>"  → publishes the bytes to the subject; replies "ok" or "refused <code>"
//   sub    payload "<subject>[ <queue>]" → subscribes; every message it gets is published to
//          probe.<id>.got as "<subject>\n<reply or empty>\n<bytes>"; replies the sid or "refused <code>"
//   unsub  payload "<sid>"               → unsubscribes; replies "ok" or "refused <code>"
//   echo   any payload                   → replies the same bytes
// Every status event is logged and published to probe.<id>.status as "<event> <detail>".

export interface ProbeConfig {
  boardId: string;
  servers: string | string[];
  user?: string;
  pass?: string;
}

export function startProbe(nats: NatsLibrary, log: (this: void, line: string) => void, cfg: ProbeConfig): void {
  const id = cfg.boardId;
  const base = "probe." + id + ".";
  const nc = nats.connect({ servers: cfg.servers, name: id, user: cfg.user, pass: cfg.pass });

  const refused = (): string => "refused " + nc.lastError();

  nc.onStatus((event, detail) => {
    const line = event + " " + (detail ?? "");
    log("status " + line);
    if (event !== "close") {
      nc.publish(base + "status", line);
    }
  });

  const forward = (subject: string, payload: string, reply: string | undefined): void => {
    nc.publish(base + "got", subject + "\n" + (reply ?? "") + "\n" + payload);
  };

  nc.subscribe(base + "*", (subject, payload, reply) => {
    if (reply === undefined) {
      return;
    }
    const command = subject.substring(base.length);
    let answer = "unknown command";
    if (command === "echo") {
      answer = payload;
    } else if (command === "pub") {
      const lf = payload.indexOf("\n");
      const ok = lf > 0 && nc.publish(payload.substring(0, lf), payload.substring(lf + 1));
      answer = ok ? "ok" : refused();
    } else if (command === "sub") {
      const space = payload.indexOf(" ");
      const sid =
        space < 0
          ? nc.subscribe(payload, forward)
          : nc.subscribe(payload.substring(0, space), forward, payload.substring(space + 1));
      answer = sid > 0 ? String(sid) : refused();
    } else if (command === "unsub") {
      let sid = 0;
      for (let i = 0; i < payload.length; i++) {
        sid = sid * 10 + (payload.charCodeAt(i) - 48);
      }
      answer = nc.unsubscribe(sid) ? "ok" : refused();
    }
    nc.publish(reply, answer);
  });
}
