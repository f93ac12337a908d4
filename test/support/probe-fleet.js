// Boots boards running the probe app (firmware/apps/probe) against a nats-server, with a `nats` npm
// peer to command them and to watch what they forward. Payloads are byte strings (latin1).
import { connect } from "nats";
import { bootFleet } from "../../sim/fleet.js";

const bytes = (s) => Buffer.from(s, "latin1");
const text = (u8) => Buffer.from(u8).toString("latin1");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(what, predicate, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await predicate();
    if (v) return v;
    await sleep(25);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * specs: [{ name, id }]; config: extra probe config (user, pass). peerOptions: nats connect options.
 * Resolves once the peer got every board's "connect" status.
 */
export async function bootProbes(serverUrl, specs, { config = {}, peerOptions = {} } = {}) {
  const peer = await connect({ servers: serverUrl, ...peerOptions });
  const got = new Map(specs.map((s) => [s.id, []]));
  const statuses = new Map(specs.map((s) => [s.id, []]));
  const watch = async (subject, sink) => {
    for await (const m of peer.subscribe(subject)) {
      const id = m.subject.split(".")[1];
      sink.get(id)?.push(text(m.data));
    }
  };
  const watchers = [watch("probe.*.got", got), watch("probe.*.status", statuses)];
  await peer.flush();
  const fleet = await bootFleet({
    app: "probe",
    specs: specs.map((s) => ({ ...s, config: { boardId: s.id, servers: serverUrl, ...config } })),
  });
  const stopAll = async () => {
    await fleet.stop();
    await peer.drain();
    await Promise.allSettled(watchers);
  };
  try {
    // The board publishes its "connect" status after its probe subscription, on the same connection: once
    // the peer has it, the server has the SUB too (a board's own log line can come before that: the peer's
    // first command then found no responder).
    await until("every probe board to connect", () =>
      fleet.boards.every((b) => statuses.get(b.id).some((l) => l.startsWith("connect")) || b.crashes.length > 0),
    );
  } catch (e) {
    await stopAll();
    throw new Error(`${e.message}: ${JSON.stringify(fleet.boards.map((b) => ({ id: b.id, logs: b.logs.slice(-5), crashes: b.crashes })))}`, { cause: e });
  }
  return {
    peer,
    boards: fleet.boards,
    /** Request to probe.<id>.<command>; resolves to the reply as a byte string. */
    async cmd(id, command, payload = "", timeoutMs = 5000) {
      const m = await peer.request(`probe.${id}.${command}`, bytes(payload), { timeout: timeoutMs });
      return text(m.data);
    },
    /** Messages the board's subscriptions forwarded: { subject, reply, payload }. */
    got(id) {
      return got.get(id).map((g) => {
        const a = g.indexOf("\n");
        const b = g.indexOf("\n", a + 1);
        return { subject: g.slice(0, a), reply: g.slice(a + 1, b), payload: g.slice(b + 1) };
      });
    },
    statuses: (id) => statuses.get(id),
    publish: (subject, payload) => peer.publish(subject, bytes(payload)),
    stop: stopAll,
  };
}

export { bytes, text };
