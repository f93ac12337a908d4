// A loopback TCP proxy with a gate, put between boards and a nats-server so a test decides when the
// boards can reach the server again, and sees every byte they sent.
//
//   const gate = await startGate(server.port);   // listens on gate.url, forwards to 127.0.0.1:<port>
//   gate.shut();    // new connections are accepted and closed at once (the server looks down)
//   gate.freeze();  // current links stop forwarding client → server; those bytes are kept as `held`
//   gate.open();    // new connections are forwarded again
//
//   startGate(port, { fragment: 7, latencyMs: 20, seed: 1 })  // chaos: every chunk cut into 1..7-byte
//                                                              // pieces written one by one, each late
//   gate.partition();  // shut + freeze, and nothing passes server → client either
//   await gate.heal(); // the partitioned links die (after what was in flight has passed), gate open
//
// A link closes its client side once the upstream side closed (server exit, reset), so a dying server
// still breaks the boards' links. Every link records what it forwarded upstream (`sent()`) and what a
// freeze kept back (`held()`), as byte strings (latin1); `name()` is the CONNECT "name" field.
import net from "node:net";

const HOST = "127.0.0.1";
const latin1 = (chunks) => Buffer.concat(chunks).toString("latin1");

/** Park-Miller: the same cuts for the same seed. */
function cutter(seed, fragment) {
  let x = (seed % 2147483646) + 1;
  return (chunk) => {
    if (!fragment) return [chunk];
    const pieces = [];
    for (let at = 0; at < chunk.length; ) {
      x = (x * 16807) % 2147483647;
      const n = 1 + (x % fragment);
      pieces.push(chunk.subarray(at, at + n));
      at += n;
    }
    return pieces;
  };
}

/** An ordered, delayed writer to dest: pieces go out one per event-loop turn (so they arrive apart). */
function delayedPipe(dest, cut, latencyMs, inFlight) {
  const queue = [];
  let busy = false;
  const drain = () => {
    if (queue.length === 0) {
      busy = false;
      return;
    }
    const wait = queue[0].at - Date.now();
    if (wait > 0) {
      setTimeout(drain, wait);
      return;
    }
    const { data } = queue.shift();
    inFlight.n--;
    if (!dest.destroyed) dest.write(data);
    setImmediate(drain);
  };
  return (chunk) => {
    if (!cut && !latencyMs) {
      dest.write(chunk);
      return;
    }
    for (const piece of cut(chunk)) {
      queue.push({ at: Date.now() + latencyMs, data: piece });
      inFlight.n++;
    }
    if (!busy) {
      busy = true;
      drain();
    }
  };
}

export async function startGate(targetPort, { open = true, fragment = 0, latencyMs = 0, seed = 1 } = {}) {
  let gateOpen = open;
  let partitioned = false;
  const cut = fragment ? cutter(seed, fragment) : undefined;
  const inFlight = { n: 0 };
  const links = [];
  const sockets = new Set();
  const counts = { accepted: 0, refused: 0 };

  const track = (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {}); // a reset is reported as a close
    return socket;
  };

  const listener = net.createServer((client) => {
    track(client);
    client.setNoDelay(true);
    if (!gateOpen) {
      counts.refused++;
      client.destroy();
      return;
    }
    counts.accepted++;
    const sentChunks = [];
    const heldChunks = [];
    const link = {
      index: links.length,
      frozen: false,
      closed: false,
      sent: () => latin1(sentChunks),
      held: () => latin1(heldChunks),
      name() {
        const m = /^CONNECT \{[^\r\n]*?"name":"([^"]*)"/.exec(this.sent());
        return m ? m[1] : undefined;
      },
    };
    links.push(link);
    const upstream = track(net.connect({ host: HOST, port: targetPort }));
    upstream.setNoDelay(true);
    link.sockets = [client, upstream];
    const toServer = delayedPipe(upstream, cut, latencyMs, inFlight);
    const toClient = delayedPipe(client, cut, latencyMs, inFlight);
    client.on("data", (chunk) => {
      if (link.frozen) {
        heldChunks.push(chunk);
      } else {
        sentChunks.push(chunk);
        toServer(chunk);
      }
    });
    upstream.on("data", (chunk) => {
      if (!partitioned) toClient(chunk);
    });
    // Either side gone: the other is ended gracefully, so bytes already passed on still arrive.
    upstream.on("close", () => {
      link.closed = true;
      client.end();
    });
    client.on("close", () => {
      link.closed = true;
      upstream.end();
    });
  });

  await new Promise((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(0, HOST, resolve);
  });
  const port = listener.address().port;

  return {
    port,
    url: `nats://${HOST}:${port}`,
    links,
    counts,
    /** Links of one board (by the CONNECT name the probe app sets to its board id). */
    linksOf: (name) => links.filter((l) => l.name() === name),
    isOpen: () => gateOpen,
    open() {
      gateOpen = true;
    },
    shut() {
      gateOpen = false;
    },
    /** Stop forwarding client → server on every current link; what arrives from now on is held. */
    freeze() {
      for (const l of links) l.frozen = true;
    },
    /** Nothing passes either way and no new link is accepted (what the boards send is held). */
    partition() {
      gateOpen = false;
      partitioned = true;
      for (const l of links) l.frozen = true;
    },
    /** Pieces still being forwarded (latency, fragmentation). */
    inFlight: () => inFlight.n,
    /** After a partition: once what was already on its way has passed, the links die; the gate opens. */
    async heal() {
      while (inFlight.n > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      for (const l of links) if (l.frozen) for (const sock of l.sockets) sock.destroy();
      partitioned = false;
      gateOpen = true;
    },
    async stop() {
      gateOpen = false;
      const closed = new Promise((resolve) => listener.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
