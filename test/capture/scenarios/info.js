import { freePorts } from '../../support/free-port.js';
import { readInfo, startCluster, startServer } from '../../support/nats-server.js';
import { connectLine, connected, greeted, sleep, withServer } from '../scenario-helpers.js';

// A valid public user nkey (its seed is not needed: the client never authenticates).
const USER_NKEY = 'UA4OA2UKZL4OY6SYQOSDQ4B6PO5EX55MUKZIAR7DQX76TP3QQDTNBGXZ';

const urlsAre = (expected) => (info) =>
  Array.isArray(info.connect_urls) && [...info.connect_urls].sort().join() === [...expected].sort().join();

const clientUrl = (server) => `127.0.0.1:${server.port}`;

function clusterMember(clusterName, routePort, seedRoutePort) {
  const seed = seedRoutePort ? ['--routes', `nats://127.0.0.1:${seedRoutePort}`] : [];
  return startServer({ args: ['--cluster_name', clusterName, '--cluster', `nats://127.0.0.1:${routePort}`, ...seed] });
}

async function waitForUrls(server, count, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while ((await readInfo(server.port))?.connect_urls?.length !== count) {
    if (Date.now() > deadline) throw new Error(`${server.url} did not list ${count} connect_urls within ${timeoutMs} ms`);
    await sleep(50);
  }
}

// Runs with two routable servers: a is started, b is returned unstarted (startB()).
async function withPair(run) {
  const [routeA, routeB] = await freePorts(2);
  const name = `capture-${routeA}`;
  const a = await clusterMember(name, routeA);
  let b;
  try {
    return await run(a, async () => (b = await clusterMember(name, routeB, routeA)));
  } finally {
    await b?.stop();
    await a.stop();
  }
}

export default [
  {
    name: 'info-cluster-connect-urls',
    description: 'connect to the first member of a fully routed 3-node cluster: INFO lists all 3 client URLs in connect_urls; CONNECT+PING',
    capture: async ({ parser }) => {
      const cluster = await startCluster(3);
      try {
        const session = await connected(cluster.servers[0].port, parser, { checkInfo: urlsAre(cluster.servers.map(clientUrl)) });
        return await session.end();
      } finally {
        await cluster.stop();
      }
    },
  },
  {
    name: 'info-async-cluster-change',
    description: 'protocol:1 client on a lone cluster-enabled node: CONNECT+PING, a second node routes in (async INFO, 2 connect_urls), PING, the second node stops (async INFO, 1 connect_url), PING',
    capture: ({ parser }) => withPair(async (a, startB) => {
      const session = await connected(a.port, parser, { checkInfo: (info) => info.connect_urls === undefined });
      const b = await startB();
      await session.expectInfo(urlsAre([clientUrl(a), clientUrl(b)]));
      session.send('PING\r\n');
      await session.expectPong();
      await b.stop();
      await session.expectInfo(urlsAre([clientUrl(a)]));
      session.send('PING\r\n');
      await session.expectPong();
      return session.end();
    }),
  },
  {
    name: 'info-async-after-first-pong',
    description: 'protocol:1 client reads the INFO of a lone node, a second node routes in before the client sends CONNECT+PING: the PONG is followed at once by an INFO with 2 connect_urls',
    capture: ({ parser }) => withPair(async (a, startB) => {
      const session = await greeted(a.port, parser, (info) => info.connect_urls === undefined);
      const b = await startB();
      await waitForUrls(a, 2);
      session.send(`${connectLine()}PING\r\n`);
      await session.expectPong();
      await session.expectInfo(urlsAre([clientUrl(a), clientUrl(b)]));
      return session.end();
    }),
  },
  {
    name: 'info-ldm',
    description: 'protocol:1 client, CONNECT+PING, then the server gets SIGUSR2 (lame duck mode): async INFO with "ldm":true; PING still answered during the 10 s grace period',
    capture: ({ parser }) => withServer({}, async (server) => {
      const session = await connected(server.port, parser);
      server.kill('SIGUSR2');
      await session.expectInfo((info) => info.ldm === true);
      session.send('PING\r\n');
      await session.expectPong();
      const transcript = await session.end();
      server.kill('SIGINT'); // SIGTERM would wait for the lame duck grace period
      return transcript;
    }),
  },
  {
    name: 'info-auth-nonce',
    description: 'server with an nkey user: INFO has auth_required and a nonce; CONNECT+PING without credentials',
    capture: ({ parser }) => withServer({ config: `authorization { users = [ { nkey: "${USER_NKEY}" } ] }\n` }, async (server) => {
      const session = await greeted(server.port, parser, (info) => info.auth_required === true && typeof info.nonce === 'string' && info.nonce.length > 0);
      session.send('CONNECT {"verbose":false,"pedantic":false,"protocol":1}\r\nPING\r\n');
      await session.expectErr('Authorization Violation');
      await session.expectClose();
      return session.end();
    }),
  },
  {
    name: 'info-auth-user',
    description: 'server with user alice/secret: INFO has auth_required and no nonce; CONNECT with a wrong password + PING',
    capture: ({ parser }) => withServer({ config: 'authorization { users = [ { user: alice, password: secret } ] }\n' }, async (server) => {
      const session = await greeted(server.port, parser, (info) => info.auth_required === true && info.nonce === undefined);
      session.send('CONNECT {"verbose":false,"pedantic":false,"protocol":1,"user":"alice","pass":"wrong"}\r\nPING\r\n');
      await session.expectErr('Authorization Violation');
      await session.expectClose();
      return session.end();
    }),
  },
  {
    name: 'info-tls-required',
    description: 'server with TLS (self-signed cert, tls timeout 0.5 s): plain-text INFO with tls_required; the client never starts TLS and is closed without -ERR',
    requires: 'tls',
    capture: ({ parser, tls }) => withServer({ config: `tls { cert_file: "${tls.certPath}", key_file: "${tls.keyPath}", timeout: 0.5 }\n` }, async (server) => {
      const session = await greeted(server.port, parser, (info) => info.tls_required === true);
      await session.expectClose();
      return session.end();
    }),
  },
];
