import { writeFileSync } from 'node:fs';
import { freePort } from '../../support/free-port.js';
import { connectLine, connected, greeted, withServer } from '../scenario-helpers.js';

const PERMISSIONS = (subscribeRule) => 'authorization { users = [ { user: u, password: p, permissions: { '
  + `publish: { deny: ["secret.>"] }, subscribe: { ${subscribeRule} } } } ] }\n`;
const USER_U = { user: 'u', pass: 'p' };

// An -ERR that keeps the connection open: send the trigger then PING, expect the -ERR then PONG.
function staysOpen({ name, description, config, connect, trigger, message }) {
  return {
    name,
    description,
    capture: ({ parser }) => withServer({ config }, async (server) => {
      const session = await connected(server.port, parser, { connect });
      session.send(`${trigger}PING\r\n`);
      await session.expectErr(message);
      await session.expectPong();
      return session.end();
    }),
  };
}

// An -ERR after which the server closes the connection.
function closes({ name, description, config, handshake = true, trigger, message, timeoutMs }) {
  return {
    name,
    description,
    capture: ({ parser }) => withServer({ config }, async (server) => {
      const session = handshake ? await connected(server.port, parser) : await greeted(server.port, parser);
      if (trigger) session.send(trigger);
      await session.expectErr(message, timeoutMs);
      await session.expectClose();
      return session.end();
    }),
  };
}

// The server may still count its own readiness probe for a moment: retry the first client.
async function firstClient(port, parser, connect) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connected(port, parser, { connect });
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

// Second connection against a limit of one: the first holds the slot, the second is the fixture.
function secondConnection({ name, description, config, connect, sendConnect, message }) {
  return {
    name,
    description,
    capture: ({ parser }) => withServer({ config }, async (server) => {
      const first = await firstClient(server.port, parser, connect);
      try {
        const session = await greeted(server.port, parser);
        if (sendConnect) session.send(`${connectLine(connect)}PING\r\n`);
        await session.expectErr(message);
        await session.expectClose();
        return await session.end();
      } finally {
        first.close();
      }
    }),
  };
}

// A client that connects to a server-to-server port: that port's INFO, then -ERR for the CONNECT.
function wrongPort({ name, description, options, message }) {
  return {
    name,
    description,
    capture: async ({ parser }) => {
      const port = await freePort();
      return withServer(options(port), async () => {
        const session = await greeted(port, parser);
        session.send(connectLine({ lang: 'raw' }));
        await session.expectErr(message);
        await session.expectClose();
        return session.end();
      });
    },
  };
}

export default [
  closes({
    name: 'err-unknown-protocol-operation',
    description: 'after CONNECT+PING the client sends "FOO\\r\\n"',
    trigger: 'FOO\r\n',
    message: 'Unknown Protocol Operation',
  }),
  closes({
    name: 'err-authorization-violation',
    description: 'server requires a token; the client sends SUB foo 1 as its first op instead of CONNECT',
    config: 'authorization { token: s3cret }\n',
    handshake: false,
    trigger: 'SUB foo 1\r\n',
    message: 'Authorization Violation',
  }),
  closes({
    name: 'err-authentication-timeout',
    description: 'server requires user/password with authorization timeout 0.5 s; the client sends nothing after INFO',
    config: 'authorization { user: alice, password: secret, timeout: 0.5 }\n',
    handshake: false,
    message: 'Authentication Timeout',
  }),
  closes({
    name: 'err-maximum-payload-violation',
    description: 'server max_payload 4096; after CONNECT+PING the client sends the control line "PUB foo 4097"',
    config: 'max_payload: 4096\n',
    trigger: 'PUB foo 4097\r\n',
    message: 'Maximum Payload Violation',
  }),
  closes({
    name: 'err-maximum-control-line-exceeded',
    description: 'after CONNECT+PING the client sends a SUB control line of 5007 bytes',
    trigger: `SUB ${'a'.repeat(5000)} 1\r\n`,
    message: 'maximum control line exceeded',
  }),
  closes({
    name: 'err-invalid-client-protocol',
    description: 'CONNECT with "protocol":2, then PING',
    handshake: false,
    trigger: `${connectLine({ protocol: 2 })}PING\r\n`,
    message: 'invalid client protocol',
  }),
  closes({
    name: 'err-no-responders-requires-headers',
    description: 'CONNECT with "no_responders":true and "headers":false, then PING',
    handshake: false,
    trigger: `${connectLine({ headers: false })}PING\r\n`,
    message: 'no responders requires headers support',
  }),
  {
    name: 'err-stale-connection',
    description: 'server ping_interval "1s", ping_max 1; after CONNECT+PING the client never answers: one PING, then -ERR',
    capture: ({ parser }) => withServer({ config: 'ping_interval: "1s"\nping_max: 1\n' }, async (server) => {
      const session = await connected(server.port, parser);
      await session.expectPing(5000, { answer: false });
      await session.expectErr('Stale Connection', 5000);
      await session.expectClose();
      return session.end();
    }),
  },
  secondConnection({
    name: 'err-maximum-connections-exceeded',
    description: 'server max_connections 1; one client is connected, a second one connects: -ERR right after its INFO',
    config: 'max_connections: 1\n',
    message: 'maximum connections exceeded',
  }),
  secondConnection({
    name: 'err-maximum-account-connections-exceeded',
    description: 'account A with limits { max_connections: 1 }; one user of A is connected, a second sends CONNECT+PING as the same user',
    config: 'accounts { A: { users: [ { user: u, password: p } ], limits: { max_connections: 1 } } }\n',
    connect: USER_U,
    sendConnect: true,
    message: 'maximum account active connections exceeded',
  }),
  wrongPort({
    name: 'err-route-port',
    description: 'client connects to the cluster (route) port: route INFO (proto 2); CONNECT with "lang" set',
    options: (port) => ({ args: ['--cluster_name', `capture-${port}`, '--cluster', `nats://127.0.0.1:${port}`] }),
    message: 'attempted to connect to route port',
  }),
  wrongPort({
    name: 'err-leafnode-port',
    description: 'client connects to the leaf node port: leaf node INFO; CONNECT with "lang" set',
    options: (port) => ({ config: `leafnodes { listen: "127.0.0.1:${port}" }\n` }),
    message: 'attempted to connect to leaf node port',
  }),
  wrongPort({
    name: 'err-gateway-port',
    description: 'client connects to the gateway port: gateway INFO; CONNECT (without a "gateway" field)',
    options: (port) => ({ config: `gateway { name: capture, listen: "127.0.0.1:${port}" }\n` }),
    message: 'attempted to connect to gateway port',
  }),
  staysOpen({
    name: 'err-invalid-subject',
    description: 'after CONNECT+PING: SUB foo..bar 1, PING',
    trigger: 'SUB foo..bar 1\r\n',
    message: 'Invalid Subject',
  }),
  {
    name: 'err-invalid-publish-subject',
    description: 'CONNECT with "pedantic":true, SUB foo.* 1, PUB foo.* hi, PING: -ERR, yet the message is still delivered',
    capture: ({ parser }) => withServer({}, async (server) => {
      const session = await connected(server.port, parser, { connect: { pedantic: true } });
      session.send('SUB foo.* 1\r\nPUB foo.* 2\r\nhi\r\nPING\r\n');
      await session.expectErr('Invalid Publish Subject');
      await session.expectMsg({ subject: 'foo.*', sid: '1', payload: 'hi' });
      await session.expectPong();
      return session.end();
    }),
  },
  staysOpen({
    name: 'err-permissions-publish',
    description: 'user u may not publish to secret.>: PUB secret.x hi, PING',
    config: PERMISSIONS('deny: ["hidden.>"]'),
    connect: USER_U,
    trigger: 'PUB secret.x 2\r\nhi\r\n',
    message: 'Permissions Violation for Publish to "secret.x"',
  }),
  staysOpen({
    name: 'err-permissions-subscribe',
    description: 'user u may not subscribe to hidden.>: SUB hidden.y 1, PING',
    config: PERMISSIONS('deny: ["hidden.>"]'),
    connect: USER_U,
    trigger: 'SUB hidden.y 1\r\n',
    message: 'Permissions Violation for Subscription to "hidden.y"',
  }),
  staysOpen({
    name: 'err-permissions-subscribe-queue',
    description: 'user u may not subscribe to hidden.>: SUB hidden.z q 1 (queue group q), PING',
    config: PERMISSIONS('deny: ["hidden.>"]'),
    connect: USER_U,
    trigger: 'SUB hidden.z q 1\r\n',
    message: 'Permissions Violation for Subscription to "hidden.z" using queue "q"',
  }),
  staysOpen({
    name: 'err-permissions-reply',
    description: 'no permissions configured; PUB foo _R_.abc with an empty payload (reserved reply prefix), PING',
    trigger: 'PUB foo _R_.abc 0\r\n\r\n',
    message: 'Permissions Violation for Publish with Reply of "_R_.abc"',
  }),
  staysOpen({
    name: 'err-permissions-too-many-tokens',
    description: 'server max_sub_tokens 2: SUB a.b.c 1, PING',
    config: 'max_sub_tokens: 2\n',
    trigger: 'SUB a.b.c 1\r\n',
    message: 'Permissions Violation for Subscription to "a.b.c", too many tokens',
  }),
  {
    name: 'err-permissions-subscribe-reload',
    description: 'user u subscribed to hidden.y as sid 1 while allowed; the config is changed to deny hidden.> and reloaded (SIGHUP): -ERR naming the sid; PING',
    capture: ({ parser }) => withServer({ config: PERMISSIONS('allow: [">"]') }, async (server) => {
      const session = await connected(server.port, parser, { connect: USER_U });
      session.send('SUB hidden.y 1\r\nPING\r\n');
      await session.expectPong();
      writeFileSync(server.configPath, PERMISSIONS('deny: ["hidden.>"]'));
      server.kill('SIGHUP');
      await session.expectErr('Permissions Violation for Subscription to "hidden.y" (sid "1")');
      session.send('PING\r\n');
      await session.expectPong();
      return session.end();
    }),
  },
  staysOpen({
    name: 'err-maximum-subscriptions-exceeded',
    description: 'server max_subscriptions 1: SUB a 1, SUB b 2, PING',
    config: 'max_subscriptions: 1\n',
    trigger: 'SUB a 1\r\nSUB b 2\r\n',
    message: 'maximum subscriptions exceeded',
  }),
  {
    name: 'err-connection-throttling',
    description: 'TLS server with connection_rate_limit 1 per second; a second connection within the same second gets INFO then -ERR in plain text',
    requires: 'tls',
    capture: ({ parser, tls }) => withServer({
      config: `tls { cert_file: "${tls.certPath}", key_file: "${tls.keyPath}", connection_rate_limit: 1 }\n`,
    }, async (server) => {
      // The readiness probe may or may not have used this second's allowance; the next try cannot both be allowed.
      for (let attempt = 1; ; attempt++) {
        const session = await greeted(server.port, parser, (info) => info.tls_required === true);
        try {
          await session.expectErr('Connection throttling is active. Please try again later.', 300);
          await session.expectClose();
          return await session.end();
        } catch (error) {
          session.close();
          if (attempt === 3) throw error;
        }
      }
    }),
  },
];
