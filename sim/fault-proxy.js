// The simulator's loopback TCP fault proxy between the boards and the broker. Each board gets its own
// lane (a listening port, its only server URL); a connection on a lane goes to the board's home node, or,
// when that node is down or not admitted, to the next node in order: the board's server list starting
// at its own node, kept in order (the board's own list would be shuffled).
//
//   const proxy = await startFaultProxy({ nodes: [{ port }, …], admitted: (i) => true });
//   const url = await proxy.lane("esp32-espruino-2", 1);     // home node 1
//   proxy.partition(ids);  // the boards' links are cut and new ones refused…
//   proxy.heal(ids);       // …until healed
//   proxy.shape(ids, { latencyMs: 200, bytesPerSec: 2000, fragment: 1 });  // slow, capped, 1-byte writes
//   proxy.shape(ids, {});  // back to a plain link
//
// Shaping applies both ways and keeps the byte order; with `fragment` every piece goes out on its own
// event-loop turn, so the other side reads it apart. A link whose far side closes is closed on this
// side after what was already passed on, so a dying server still breaks the boards' links.
import net from "node:net";

const HOST = "127.0.0.1";

/** A writer to `dest` that applies the lane's current shaping to each chunk; order is kept. */
export function shapedPipe(dest, shaping) {
  const queue = [];
  let timer;
  let nextFree = 0;
  const pump = () => {
    timer = undefined;
    while (queue.length > 0) {
      const head = queue[0];
      const now = Date.now();
      const { bytesPerSec = 0, fragment = 0 } = shaping();
      const wait = Math.max(head.at, bytesPerSec > 0 ? nextFree : 0) - now;
      if (wait > 0) {
        timer = setTimeout(pump, wait);
        return;
      }
      const cap = fragment > 0 ? fragment : bytesPerSec > 0 ? Math.max(1, Math.floor(bytesPerSec / 50)) : head.data.length;
      const piece = head.data.subarray(0, cap);
      head.data = head.data.subarray(piece.length);
      if (head.data.length === 0) queue.shift();
      if (bytesPerSec > 0) nextFree = Math.max(now, nextFree) + (piece.length * 1000) / bytesPerSec;
      if (!dest.destroyed) dest.write(piece);
      if (fragment > 0) {
        timer = setImmediate(pump);
        return;
      }
    }
  };
  const write = (chunk) => {
    const { latencyMs = 0, bytesPerSec = 0, fragment = 0 } = shaping();
    if (queue.length === 0 && !latencyMs && !bytesPerSec && !fragment) {
      dest.write(chunk);
      return;
    }
    queue.push({ data: chunk, at: Date.now() + latencyMs });
    if (timer === undefined) pump();
  };
  write.pending = () => queue.length;
  return write;
}

/** Resolves with a connected socket to the first admitted node that accepts, in order; undefined if none. */
async function connectInOrder(order, nodes, admitted) {
  for (const i of order) {
    if (!admitted(i)) continue;
    const socket = await new Promise((resolve) => {
      const s = net.connect({ host: nodes[i].host ?? HOST, port: nodes[i].port });
      s.once("connect", () => resolve(s));
      s.once("error", () => resolve(undefined));
    });
    if (socket !== undefined) return { socket, node: i };
  }
  return undefined;
}

export async function startFaultProxy({ nodes, admitted = () => true }) {
  const lanes = new Map();
  const sockets = new Set();
  const track = (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {}); // a reset is reported as a close
    return socket;
  };

  function accept(lane, client) {
    track(client);
    client.setNoDelay(true);
    if (lane.partitioned) {
      lane.refused++;
      client.destroy();
      return;
    }
    const early = [];
    const hold = (chunk) => early.push(chunk);
    client.on("data", hold);
    const order = nodes.map((_, k) => (lane.home + k) % nodes.length);
    connectInOrder(order, nodes, admitted).then((up) => {
      if (up === undefined || client.destroyed || lane.partitioned) {
        up?.socket.destroy();
        lane.refused++;
        client.destroy();
        return;
      }
      const upstream = track(up.socket);
      upstream.setNoDelay(true);
      const link = { node: up.node, sockets: [client, upstream] };
      lane.links.add(link);
      lane.accepted++;
      const shaping = () => lane.shaping;
      const toServer = shapedPipe(upstream, shaping);
      const toClient = shapedPipe(client, shaping);
      client.off("data", hold);
      for (const chunk of early) toServer(chunk);
      client.on("data", toServer);
      upstream.on("data", toClient);
      // Either side gone: the other is ended once what was already passed on has gone out.
      const endWhenSent = (pipe, socket) => {
        const tryEnd = () => (pipe.pending() === 0 ? socket.end() : setTimeout(tryEnd, 5));
        tryEnd();
      };
      upstream.on("close", () => {
        lane.links.delete(link);
        endWhenSent(toClient, client);
      });
      client.on("close", () => {
        lane.links.delete(link);
        endWhenSent(toServer, upstream);
      });
    });
  }

  const pick = (ids) => (ids === undefined ? [...lanes.values()] : ids.map((id) => lanes.get(id)).filter(Boolean));

  return {
    /** The board's lane: resolves with its nats:// URL (`auth` "user:pass@" kept in it). */
    async lane(id, home = 0, auth = "") {
      const lane = { id, home: home % nodes.length, partitioned: false, shaping: {}, links: new Set(), accepted: 0, refused: 0 };
      lane.listener = net.createServer((client) => accept(lane, client));
      await new Promise((resolve, reject) => {
        lane.listener.once("error", reject);
        lane.listener.listen(0, HOST, resolve);
      });
      lane.port = lane.listener.address().port;
      lanes.set(id, lane);
      return `nats://${auth}${HOST}:${lane.port}`;
    },
    /** The node the board's current link goes to (undefined while it has none). */
    nodeOf: (id) => [...(lanes.get(id)?.links ?? [])].at(-1)?.node,
    /** Links accepted and refused on the board's lane so far. */
    counts: (id) => ({ accepted: lanes.get(id)?.accepted ?? 0, refused: lanes.get(id)?.refused ?? 0 }),
    /** The boards (all when ids is undefined) lose their links; new ones are refused until heal(). */
    partition(ids) {
      for (const lane of pick(ids)) {
        lane.partitioned = true;
        for (const link of lane.links) for (const s of link.sockets) s.destroy();
      }
    },
    heal(ids) {
      for (const lane of pick(ids)) lane.partitioned = false;
    },
    /** { latencyMs, bytesPerSec, fragment } for the boards' links, both ways ({} for a plain link). */
    shape(ids, shaping) {
      for (const lane of pick(ids)) lane.shaping = { ...shaping };
    },
    async stop() {
      const closed = [...lanes.values()].map((lane) => new Promise((resolve) => lane.listener.close(resolve)));
      for (const s of sockets) s.destroy();
      await Promise.all(closed);
    },
  };
}
