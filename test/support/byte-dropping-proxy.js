// A loopback proxy in front of a board's console that drops one byte of the upload: the byte `offset`
// bytes after the first occurrence of `marker` in what the uploader sends (once). For tests of upload
// verification.
import net from "node:net";

/** Resolves with { port, dropped(): whether the byte was dropped, close() }. */
export async function startByteDroppingProxy(targetPort, marker, offset) {
  let dropped = false;
  const proxy = net.createServer((client) => {
    const up = net.connect(targetPort, "127.0.0.1");
    up.on("data", (d) => client.write(d));
    client.on("data", (d) => {
      let text = d.toString("latin1");
      const i = text.indexOf(marker);
      if (!dropped && i >= 0) {
        dropped = true;
        text = text.slice(0, i + offset) + text.slice(i + offset + 1);
      }
      up.write(text, "latin1");
    });
    client.on("error", () => up.destroy());
    up.on("error", () => client.destroy());
    client.on("close", () => up.destroy());
    up.on("close", () => client.destroy());
  });
  await new Promise((r) => proxy.listen(0, "127.0.0.1", r));
  return { port: proxy.address().port, dropped: () => dropped, close: () => proxy.close() };
}
