// Runs one client scenario (test/cases/client-scenarios.json) against a library: a fake transport
// records what the client does, the steps play the adapter, the clock and the application.
import assert from "node:assert/strict";

const show = (v) => (v === null || v === undefined ? "-" : String(v));

export function runScenario(lib, scenario) {
  const events = [];
  let clock = 0;
  const transport = {
    now() { return clock; },
    open(host, port) { events.push(`open ${host} ${port}`); },
    write(data) { events.push(`write ${data}`); },
    close() { events.push("close"); },
  };
  const client = lib.createClient(scenario.options, "nats-mcu", 1, transport);
  client.onStatus((event, detail) => events.push(detail === undefined ? `status ${event}` : `status ${event} ${detail}`));
  const onMsg = (subject, payload, reply, sid, headers) =>
    events.push(`msg ${subject} ${sid} ${show(reply)} ${payload}` + (headers === undefined ? "" : ` [${headers}]`));
  const onReply = (err, payload, headers) => events.push(`reply ${show(err)} ${show(payload)} ${show(headers)}`);
  const onFlushed = (err) => events.push(`flushed ${show(err)}`);
  const onDrained = (err) => events.push(`drained ${show(err)}`);
  const arg = (v) => (v === null ? undefined : v);

  scenario.steps.forEach((step, i) => {
    const [op, ...args] = step;
    const where = `${scenario.name}, step ${i + 1} ${JSON.stringify(step).slice(0, 60)}`;
    switch (op) {
      case "tick": clock = args[0]; client.tick(args[0]); break;
      case "open": client.onOpen(); break;
      case "recv": client.onData(args[0]); break;
      case "written": client.onWritten(); break;
      case "closed": client.onClosed(arg(args[0])); break;
      case "set": {
        const path = args[0].split(".");
        const last = path.pop();
        path.reduce((o, k) => o[k], client)[last] = args[1];
        break;
      }
      case "stats": events.push(`value ${show(client.stats()[args[0]])}`); break;
      case "get": events.push(`value ${show(args[0].split(".").reduce((o, k) => o[k], client))}`); break;
      case "call": {
        const [method, ...rest] = args;
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
        assert.deepEqual(events.splice(0), args, where);
        break;
      default:
        throw new Error(`unknown scenario step ${op} in ${where}`);
    }
  });
}
