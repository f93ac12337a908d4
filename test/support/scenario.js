// Runs one client scenario (test/cases/client-scenarios.json) against a freshly loaded test build of a
// profile: a fake transport records what the client does, the steps play the adapter, the clock and the
// application.
import assert from "node:assert/strict";

const show = (v) => (v === null || v === undefined ? "-" : String(v));

/** Adapter events as the core numbers them (src/events.ts). */
const EV = { open: 0, recv: 1, written: 2, closed: 3, tick: 4, raised: 5 };

/**
 * Expected writes on a smaller profile (see the scenarios' $comment): without headers (pub, pubsub) CONNECT
 * leaves out headers and no_responders (the server's defaults are false) and protocol (0, the default: no
 * async INFO, which only full reads); without subscriptions (pub) echo.
 */
export function forProfile(line, profile) {
  if (profile === "full") return line;
  const s = line.replace(/,"headers":(true|false),"no_responders":(true|false)/, "").replace('"protocol":1,', "");
  return profile === "pub" ? s.replace(',"echo":false', "") : s;
}

export function runScenario(lib, scenario, profile) {
  const events = [];
  let clock = 0;
  const transport = {
    now() { return clock; },
    open(host, port) { events.push(`open ${host} ${port}`); },
    write(data) { events.push(`write ${data}`); },
    close() { events.push("close"); },
  };
  lib.useTransport(transport, 1);
  const client = lib.connect(scenario.options);
  // [on, event, "close" | "raise"]: the status callback calls close() or raises after recording the event
  const onStatusDo = {};
  client.onStatus((event, detail) => {
    events.push(detail === undefined ? `status ${event}` : `status ${event} ${detail}`);
    if (onStatusDo[event] === "close") client.close();
    if (onStatusDo[event] === "raise") throw new Error("raised");
  });
  // as the runtime adapters run every event: a callback that raises is reported as Raised (5)
  const event = (ev, data) => {
    try {
      lib.adapterEvent(ev, data, clock);
    } catch (e) {
      lib.adapterEvent(EV.raised, e.message, 0);
    }
  };
  // A message whose payload is "close!" makes its callback call close(), "raise!" raise (the scenarios' $comment).
  const onMsg = (subject, payload, reply, sid, headers) => {
    events.push(`msg ${subject} ${sid} ${show(reply)} ${payload}` + (headers === undefined ? "" : ` [${headers}]`));
    if (payload === "close!") client.close();
    if (payload === "raise!") throw new Error("raised");
  };
  const onReply = (err, payload, headers) => events.push(`reply ${show(err)} ${show(payload)} ${show(headers)}`);
  const onFlushed = (err) => events.push(`flushed ${show(err)}`);
  const onDrained = (err) => events.push(`drained ${show(err)}`);
  const arg = (v) => (v === null ? undefined : v);

  scenario.steps.forEach((step, i) => {
    const [op, ...args] = step;
    const where = `${scenario.name} (${profile}), step ${i + 1} ${JSON.stringify(step).slice(0, 60)}`;
    switch (op) {
      case "tick": clock = args[0]; event(EV.tick, undefined); break;
      case "open": case "written": event(EV[op], undefined); break;
      case "recv": {
        // as the runtime adapters do: a callback that raises is reported as Raised (5), and the rest of
        // the chunk is fed on as "" (firmware/*/io.ts run())
        let data = args[0];
        for (let tries = 0; tries <= 64; tries++) {
          try {
            lib.adapterEvent(EV.recv, data, clock);
            break;
          } catch (e) {
            lib.adapterEvent(EV.raised, e.message, 0);
            data = "";
          }
        }
        break;
      }
      case "closed": event(EV.closed, arg(args[0])); break;
      case "on": onStatusDo[args[0]] = args[1]; break;
      case "chunk": lib.setChunk(args[0]); break;
      case "id": lib.setId(args[0]); break;
      case "stats": events.push(`value ${show(client.stats()[args[0]])}`); break;
      case "call": {
        const [method, ...rest] = args;
        assert.equal(typeof client[method], "function", `${where}: the ${profile} profile has no ${method}()`);
        const callArgs =
          method === "subscribe" ? [rest[0], onMsg, ...rest.slice(1).map(arg)]
          : method === "request" ? [...rest.map(arg), onReply]
          : method === "flush" ? [onFlushed]
          : method === "drain" ? [onDrained]
          : rest.map(arg);
        const r = client[method](...callArgs);
        if (r !== undefined) events.push(`return ${r}`);
        break;
      }
      case "expect":
        assert.deepEqual(events.splice(0), args.map((e) => forProfile(e, profile)), where);
        break;
      default:
        throw new Error(`unknown scenario step ${op} in ${where}`);
    }
  });
}
