import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findOnPath } from './find-on-path.js';
import { freePort, freePorts } from './free-port.js';
import { connectRaw } from './raw-client.js';

const HOST = '127.0.0.1';
const START_DEADLINE_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const STDERR_KEEP = 16_384;

export function findNatsServer() {
  const bin = findOnPath('nats-server');
  if (!bin) throw new Error('nats-server not found: install it with: apt-get install -y nats-server');
  return bin;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Servers still running when this process exits (a crashed test, a missed stop()) are killed with it.
const running = new Set();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

// Reads the INFO a fresh connection gets; null if the server is not serving yet.
export async function readInfo(port, timeoutMs = 1000) {
  let client;
  try {
    client = await connectRaw(port, { timeoutMs });
    const line = await client.waitUntil((bytes) => {
      const end = bytes.indexOf('\r\n');
      return end >= 0 && bytes.toString('latin1', 0, end);
    }, timeoutMs, 'INFO');
    if (!line.startsWith('INFO ')) throw new Error(`expected INFO, got ${JSON.stringify(line)}`);
    return JSON.parse(line.slice(5));
  } catch {
    return null;
  } finally {
    client?.close();
  }
}

async function waitUntilServing(server, exited) {
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (exited.done) {
      throw new Error(`nats-server exited early (code ${exited.code}, signal ${exited.signal}):\n${server.output()}`);
    }
    if (await readInfo(server.port, 500)) return;
    await sleep(50);
  }
  throw new Error(`nats-server did not accept connections on ${HOST}:${server.port} within ${START_DEADLINE_MS} ms:\n${server.output()}`);
}

// Resolves once the server answers with INFO on 127.0.0.1:port (a free port unless given).
export async function startServer({ config, args = [], port } = {}) {
  const bin = findNatsServer();
  port ??= await freePort(HOST);
  const dir = mkdtempSync(path.join(tmpdir(), 'nats-server-'));
  let configPath;
  if (config !== undefined) {
    configPath = path.join(dir, 'server.conf');
    writeFileSync(configPath, config);
  }
  const argv = ['-a', HOST, '-p', String(port), ...(configPath ? ['-c', configPath] : []), ...args];
  const proc = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);

  let stderr = '';
  const keep = (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEEP);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);

  const exited = { done: false, code: null, signal: null };
  const exit = new Promise((resolve) => {
    proc.once('exit', (code, signal) => Object.assign(exited, { done: true, code, signal }));
    proc.once('close', () => {
      running.delete(proc);
      resolve();
    });
    proc.once('error', (error) => {
      Object.assign(exited, { done: true, code: error.message });
      running.delete(proc);
      resolve();
    });
  });

  const server = {
    port,
    url: `nats://${HOST}:${port}`,
    pid: proc.pid,
    proc,
    configPath,
    output: () => stderr,
    kill: (signal = 'SIGTERM') => proc.kill(signal),
    // In lame duck mode 2.9.10 defers SIGTERM until the grace period ends: kill('SIGINT') exits at once.
    async stop() {
      if (!exited.done) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
        await exit;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await waitUntilServing(server, exited);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

// n fully routed servers; resolves once every member's INFO lists all n client URLs.
export async function startCluster(n = 3, { config, args = [] } = {}) {
  const ports = await freePorts(2 * n, HOST);
  const clientPorts = ports.slice(0, n);
  const routeUrls = ports.slice(n).map((p) => `nats://${HOST}:${p}`);
  const clusterName = `test-cluster-${process.pid}-${clientPorts[0]}`;
  const servers = [];
  const cluster = {
    servers,
    clusterName,
    routeUrls,
    stop: () => Promise.all(servers.map((server) => server.stop())).then(() => {}),
  };
  try {
    for (let i = 0; i < n; i++) {
      const routes = routeUrls.filter((_, j) => j !== i).join(',');
      const memberArgs = ['--server_name', `${clusterName}-${i}`, '--cluster_name', clusterName, '--cluster', routeUrls[i], ...(routes ? ['--routes', routes] : []), ...args];
      servers.push(await startServer({ config, port: clientPorts[i], args: memberArgs }));
    }
    await waitForMesh(servers);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

export async function waitForMesh(servers, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  const members = servers.map((server) => `${HOST}:${server.port}`);
  for (const server of servers) {
    for (;;) {
      const info = await readInfo(server.port);
      if (members.every((url) => info?.connect_urls?.includes(url))) break;
      if (Date.now() > deadline) {
        throw new Error(`cluster routes not up within ${timeoutMs} ms: ${server.url} lists ${JSON.stringify(info?.connect_urls)}`);
      }
      await sleep(50);
    }
  }
}
