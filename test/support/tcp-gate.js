// A loopback TCP proxy with a gate, put between boards and a nats-server so a test decides when the
// boards can reach the server again, and sees every byte they sent.
//
//   const gate = await startGate(server.port);   // listens on gate.url, forwards to 127.0.0.1:<port>
//   gate.shut();    // new connections are accepted and closed at once (the server looks down)
//   gate.freeze();  // current links stop forwarding client → server; those bytes are kept as `held`
//   gate.open();    // new connections are forwarded again
//
// A link closes its client side once the upstream side closed (server exit, reset), so a dying server
// still breaks the boards' links. Every link records what it forwarded upstream (`sent()`) and what a
// freeze kept back (`held()`), as byte strings (latin1); `name()` is the CONNECT "name" field.
import net from "node:net";

const HOST = "127.0.0.1";
const latin1 = (chunks) => Buffer.concat(chunks).toString("latin1");

export async function startGate(targetPort, { open = true } = {}) {
  let gateOpen = open;
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
    client.on("data", (chunk) => {
      if (link.frozen) {
        heldChunks.push(chunk);
      } else {
        sentChunks.push(chunk);
        upstream.write(chunk);
      }
    });
    upstream.on("data", (chunk) => client.write(chunk));
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
    async stop() {
      gateOpen = false;
      const closed = new Promise((resolve) => listener.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
