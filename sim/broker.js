// The simulator's broker: one embedded nats-server, or an N-node routed cluster, on free loopback ports,
// whose nodes can be stopped, killed, stalled, lame-ducked and started again on the same ports (the
// cluster operations sim/faults.js scripts).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { findNatsServer, startServer, waitForMesh } from "./server/nats-server.js";
import { freePorts } from "./server/free-port.js";

const HOST = "127.0.0.1";

/**
 * Starts `cluster` nodes (1: a plain server). Resolves with { nodes: [{ index, port, url, up }], urls,
 * stopNode(i, signal), startNode(i), stall(i), resume(i), lameDuck(i), stop() }.
 */
export async function startBroker({ cluster = 1 } = {}) {
  const n = cluster;
  const ports = await freePorts(n > 1 ? 2 * n : 1, HOST);
  const clusterName = `sim-${process.pid}-${ports[0]}`;
  const routeUrls = ports.slice(n).map((p) => `nats://${HOST}:${p}`);
  const nodes = ports.slice(0, n).map((port, index) => ({ index, port, url: `nats://${HOST}:${port}`, up: false, lameDuck: false, server: undefined }));

  const argsOf = (i) =>
    n === 1
      ? []
      : ["--server_name", `${clusterName}-${i}`, "--cluster_name", clusterName, "--cluster", routeUrls[i], "--routes", routeUrls.filter((_, j) => j !== i).join(",")];

  const broker = {
    nodes,
    urls: nodes.map((node) => node.url),
    /** Starts node i again on its port; resolves once it is back in the mesh with every running node. */
    async startNode(i) {
      const node = nodes[i];
      node.server = await startServer({ port: node.port, args: argsOf(i) });
      node.up = true;
      node.lameDuck = false;
      const running = nodes.filter((x) => x.up);
      if (running.length > 1) await waitForMesh(running.map((x) => x.server));
    },
    /** SIGTERM (graceful), SIGINT (at once, also in lame duck mode) or SIGKILL; resolves once it exited. */
    async stopNode(i, signal = "SIGTERM") {
      const node = nodes[i];
      if (!node.up) return;
      node.up = false;
      if (signal !== "SIGTERM") node.server.kill(signal);
      await node.server.stop();
    },
    stall: (i) => nodes[i].server.kill("SIGSTOP"),
    resume: (i) => nodes[i].server.kill("SIGCONT"),
    /** `nats-server --signal ldm=<pid>`: the node announces lame duck mode, stops accepting and closes its clients over time. */
    async lameDuck(i) {
      nodes[i].lameDuck = true;
      await promisify(execFile)(findNatsServer(), ["--signal", `ldm=${nodes[i].server.pid}`]);
    },
    async stop() {
      for (const node of nodes) if (node.up) node.server.kill("SIGCONT");
      await Promise.all(nodes.map((node) => broker.stopNode(node.index, "SIGINT")));
    },
  };
  try {
    for (let i = 0; i < n; i++) {
      nodes[i].server = await startServer({ port: nodes[i].port, args: argsOf(i) });
      nodes[i].up = true;
    }
    if (n > 1) await waitForMesh(nodes.map((x) => x.server));
  } catch (e) {
    await broker.stop();
    throw e;
  }
  return broker;
}
