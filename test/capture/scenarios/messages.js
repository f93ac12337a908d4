import { connectLine, connected, greeted, withServer } from '../scenario-helpers.js';

const HEADERS = 'NATS/1.0\r\nX-A: 1\r\nX-B: two words\r\n\r\n';
const hpub = (subject, reply, headers, payload) =>
  `HPUB ${subject} ${reply ? `${reply} ` : ''}${headers.length} ${headers.length + payload.length}\r\n${headers}${payload}\r\n`;

// 0..255, with a complete fake MSG op embedded after it.
const BINARY = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from('\r\nMSG foo 1 3\r\nabc\r\n\0', 'latin1'),
]);

const patterned = (length) => Buffer.from(Array.from({ length }, (_, i) => 'abcdefghijklmnopqrstuvwxyz0123456789'.charCodeAt(i % 36)));

export default [
  {
    name: 'session-normal',
    description: 'CONNECT+PING, SUB foo 1, PUB foo hello + PING, answer the forced server PING (~2 s after CONNECT), UNSUB 1, PUB foo again + PING (not delivered)',
    capture: ({ parser }) => withServer({}, async (server) => {
      const session = await connected(server.port, parser);
      session.send('SUB foo 1\r\nPUB foo 5\r\nhello\r\nPING\r\n');
      await session.expectMsg({ subject: 'foo', sid: '1', payload: 'hello' });
      await session.expectPong();
      await session.expectPing(5000);
      session.send('UNSUB 1\r\nPUB foo 5\r\nhello\r\nPING\r\n');
      await session.expectPong();
      return session.end();
    }),
  },
  {
    name: 'ping',
    description: 'CONNECT without PING, then nothing: the server sends its forced first PING ~2 s after CONNECT',
    capture: ({ parser }) => withServer({}, async (server) => {
      const session = await greeted(server.port, parser);
      session.send(connectLine());
      await session.expectPing(5000, { answer: false });
      return session.end();
    }),
  },
  {
    name: 'verbose-ok',
    description: 'CONNECT with verbose:true, then SUB, PUB, UNSUB, PING: +OK for CONNECT, SUB and PUB, the MSG, +OK for UNSUB, PONG',
    capture: ({ parser }) => withServer({}, async (server) => {
      const session = await greeted(server.port, parser);
      session.send(`${connectLine({ verbose: true })}SUB foo 1\r\nPUB foo 2\r\nhi\r\nUNSUB 1\r\nPING\r\n`);
      await session.expectOk();
      await session.expectOk();
      await session.expectOk();
      await session.expectMsg({ subject: 'foo', sid: '1', payload: 'hi' });
      await session.expectOk();
      await session.expectPong();
      return session.end();
    }),
  },
  {
    name: 'msg-no-reply',
    description: 'SUB foo 1 and SUB foo.* 2, PUB foo hello, PUB foo with an empty payload, PUB foo.bar world, PING',
    capture: ({ parser }) => withServer({}, async (server) => {
      const session = await connected(server.port, parser);
      session.send('SUB foo 1\r\nSUB foo.* 2\r\nPUB foo 5\r\nhello\r\nPUB foo 0\r\n\r\nPUB foo.bar 5\r\nworld\r\nPING\r\n');
      await session.expectMsg({ subject: 'foo', sid: '1', payload: 'hello' });
      await session.expectMsg({ subject: 'foo', sid: '1', payload: '' });
      await session.expectMsg({ subject: 'foo.bar', sid: '2', payload: 'world' });
      await session.expectPong();
      return session.end();
    }),
  },
  {
    name: 'msg-with-reply',
    description: 'SUB foo 1, PUB foo _INBOX.r1 hello, PUB foo with reply and an empty payload, PING',
    capture: ({ parser }) => withServer({}, async (server) => {
      const session = await connected(server.port, parser);
      session.send('SUB foo 1\r\nPUB foo _INBOX.r1 5\r\nhello\r\nPUB foo _INBOX.r2 0\r\n\r\nPING\r\n');
      await session.expectMsg({ subject: 'foo', sid: '1', reply: '_INBOX.r1', payload: 'hello' });
      await session.expectMsg({ subject: 'foo', sid: '1', reply: '_INBOX.r2', payload: '' });
      await session.expectPong();
      return session.end();
    }),
  },
  {
    name: 'hmsg-headers',
    description: 'headers:true, SUB foo 1, HPUB foo with X-A/X-B headers (no reply, then reply bar), HPUB headers only, HPUB with a status line "NATS/1.0 100 Idle Heartbeat", PING',
    capture: ({ parser }) => withServer({}, async (server) => {
      const session = await connected(server.port, parser);
      const status = 'NATS/1.0 100 Idle Heartbeat\r\n\r\n';
      session.send(`SUB foo 1\r\n${hpub('foo', '', HEADERS, 'hello')}${hpub('foo', 'bar', HEADERS, 'hello')}`
        + `${hpub('foo', '', 'NATS/1.0\r\n\r\n', '')}${hpub('foo', '', status, '')}PING\r\n`);
      await session.expectHmsg({ subject: 'foo', sid: '1', headers: HEADERS, payload: 'hello' });
      await session.expectHmsg({ subject: 'foo', sid: '1', reply: 'bar', headers: HEADERS, payload: 'hello' });
      await session.expectHmsg({ subject: 'foo', sid: '1', headers: 'NATS/1.0\r\n\r\n' });
      await session.expectHmsg({ subject: 'foo', sid: '1', status: '100', headers: status });
      await session.expectPong();
      return session.end();
    }),
  },
  {
    name: 'no-responders-503',
    description: 'headers:true, no_responders:true, SUB _INBOX.x.* 1, PUB nobody _INBOX.x.1 with nobody subscribed to "nobody", PING',
    capture: ({ parser }) => withServer({}, async (server) => {
      const session = await connected(server.port, parser);
      session.send('SUB _INBOX.x.* 1\r\nPUB nobody _INBOX.x.1 0\r\n\r\nPING\r\n');
      await session.expectHmsg({ subject: '_INBOX.x.1', sid: '1', status: '503', headers: 'NATS/1.0 503\r\n\r\n' });
      await session.expectPong();
      return session.end();
    }),
  },
  {
    name: 'binary-payload',
    description: 'SUB foo 1, PUB foo with every byte value 0..255 followed by "\\r\\nMSG foo 1 3\\r\\nabc\\r\\n\\0" inside the payload, PING',
    capture: ({ parser }) => withServer({}, async (server) => {
      const session = await connected(server.port, parser);
      session.send(Buffer.concat([Buffer.from(`SUB foo 1\r\nPUB foo ${BINARY.length}\r\n`), BINARY, Buffer.from('\r\nPING\r\n')]));
      await session.expectMsg({ subject: 'foo', sid: '1', payload: BINARY });
      await session.expectPong();
      return session.end();
    }),
  },
  {
    name: 'payload-near-max',
    description: 'server max_payload 4096 (INFO says so), SUB foo 1, PUB foo with exactly 4096 bytes, PING; parser maxPayloadBytes 4096',
    parser: { maxPayloadBytes: 4096 },
    capture: ({ parser }) => withServer({ config: 'max_payload: 4096\n' }, async (server) => {
      const session = await connected(server.port, parser, { checkInfo: (info) => info.max_payload === 4096 });
      const big = patterned(4096);
      session.send(Buffer.concat([Buffer.from(`SUB foo 1\r\nPUB foo ${big.length}\r\n`), big, Buffer.from('\r\nPING\r\n')]));
      await session.expectMsg({ subject: 'foo', sid: '1', payload: big });
      await session.expectPong();
      return session.end();
    }),
  },
  {
    name: 'payload-over-parser-max',
    description: 'server max_payload 4096, SUB foo 1, PUB 4096 bytes, PUB exactly 1024 bytes, HPUB 1025 bytes in total, PUB hello, PING; parser maxPayloadBytes 1024 so the 4096 and 1025 byte ones are skipped',
    parser: { maxPayloadBytes: 1024 },
    capture: ({ parser }) => withServer({ config: 'max_payload: 4096\n' }, async (server) => {
      const session = await connected(server.port, parser, { checkInfo: (info) => info.max_payload === 4096 });
      const big = patterned(4096);
      const edge = patterned(1024);
      const headed = patterned(1025 - HEADERS.length).toString('latin1');
      session.send(Buffer.concat([
        Buffer.from(`SUB foo 1\r\nPUB foo ${big.length}\r\n`), big,
        Buffer.from(`\r\nPUB foo ${edge.length}\r\n`), edge,
        Buffer.from(`\r\n${hpub('foo', '', HEADERS, headed)}PUB foo 5\r\nhello\r\nPING\r\n`),
      ]));
      await session.expectMsg({ subject: 'foo', sid: '1', payload: big });
      await session.expectMsg({ subject: 'foo', sid: '1', payload: edge });
      await session.expectHmsg({ subject: 'foo', sid: '1', headers: HEADERS, payload: headed });
      await session.expectMsg({ subject: 'foo', sid: '1', payload: 'hello' });
      await session.expectPong();
      return session.end();
    }),
  },
];
