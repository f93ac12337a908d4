// The simulator's peer: a `nats` npm client that counts what each board publishes and sends commands.
import { connect } from "nats";

export async function startPeer(url) {
  const nc = await connect({ servers: url, name: "nats-mcu-sim-peer" });
  const received = new Map();
  const lastFree = new Map();
  const sub = nc.subscribe("metrics.>");
  const done = (async () => {
    for await (const m of sub) {
      const [, board, name] = m.subject.split(".");
      received.set(board, (received.get(board) ?? 0) + 1);
      if (name === "free") lastFree.set(board, m.string());
    }
  })();
  await nc.flush();
  return {
    received: (board) => received.get(board) ?? 0,
    /** Every board id heard from so far. */
    heard: () => [...received.keys()],
    /** The board's last reported free memory (JsVars on Espruino, heap bytes on NodeMCU). */
    lastFree: (board) => lastFree.get(board),
    /** Request/reply to a board; resolves to the reply text, or undefined after timeoutMs. */
    async command(board, cmd, payload = "", timeoutMs = 5000) {
      try {
        const m = await nc.request(`cmd.${board}.${cmd}`, new TextEncoder().encode(payload), { timeout: timeoutMs });
        return m.string();
      } catch {
        return undefined;
      }
    },
    flush: () => nc.flush(),
    async close() {
      await nc.drain();
      await done;
    },
  };
}
