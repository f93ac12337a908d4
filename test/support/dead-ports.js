// Console ports that do not behave like a board, for the uploaders' error tests: one that accepts a
// connection and never answers, and one that nothing listens on.
import net from "node:net";

/** A tcp:// port that accepts and stays silent; close() also drops the connections it accepted. */
export async function silentPort() {
  const sockets = new Set();
  const server = net.createServer((s) => sockets.add(s));
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `tcp://127.0.0.1:${server.address().port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** A tcp:// port that was free a moment ago: connecting is refused. */
export async function closedPort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `tcp://127.0.0.1:${server.address().port}`;
  await new Promise((r) => server.close(r));
  return url;
}
