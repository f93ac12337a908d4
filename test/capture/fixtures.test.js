import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateFixture } from './fixture-validator.js';
import { decodeWire } from './reference-decoder.js';

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
const files = readdirSync(FIXTURES_DIR).filter((file) => file.endsWith('.json')).sort();
const load = (file) => JSON.parse(readFileSync(`${FIXTURES_DIR}${file}`, 'utf8'));

// Captured without optional tools (the TLS ones need openssl), so these must always be present.
const REQUIRED = [
  'session-normal', 'ping', 'msg-no-reply', 'msg-with-reply', 'hmsg-headers', 'no-responders-503', 'binary-payload',
  'payload-near-max', 'payload-over-parser-max', 'info-cluster-connect-urls', 'info-ldm', 'info-auth-nonce', 'info-auth-user',
  'err-unknown-protocol-operation', 'err-authentication-timeout', 'err-maximum-payload-violation',
  'err-maximum-control-line-exceeded', 'err-invalid-client-protocol', 'err-no-responders-requires-headers',
  'err-maximum-connections-exceeded', 'err-stale-connection', 'err-route-port', 'err-leafnode-port', 'err-gateway-port', 'err-invalid-subject',
  'err-invalid-publish-subject', 'err-permissions-publish', 'err-permissions-subscribe', 'err-maximum-subscriptions-exceeded',
];

test('the required fixtures exist', () => {
  const names = files.map((file) => file.replace(/\.json$/, ''));
  assert.deepEqual(REQUIRED.filter((name) => !names.includes(name)), []);
});

for (const file of files) {
  test(`${file} is well-formed`, () => {
    const fixture = load(file);
    assert.deepEqual(validateFixture(fixture), []);
    assert.equal(`${fixture.name}.json`, file, 'name matches the file name');
  });

  test(`${file} events are what its wire decodes to`, () => {
    const fixture = load(file);
    assert.deepEqual(decodeWire(Buffer.from(fixture.wire, 'hex'), fixture.parser), fixture.events);
  });
}

const GOOD = {
  name: 'sample',
  description: 'a hand-made sample',
  captured: 'nats-server v2.9.10',
  parser: { maxControlLineBytes: 4096, maxPayloadBytes: 1024 },
  wire: Buffer.from('PING\r\n').toString('hex'),
  events: [
    'info server_id=N1 version=2.9.10 proto=1 max_payload=1024 headers=true auth_required=false tls_required=false nonce= ldm=false connect_urls=a:1,b:2',
    'ping', 'pong', 'ok', 'err Unknown Protocol Operation',
    'msg foo 1 - 5:68656c6c6f', 'msg foo 1 bar 0:',
    'hmsg foo 1 - 503 12:4e4154532f312e300d0a0d0a 0:',
    'skipped foo 1 1025',
    'proto_error protocol',
  ],
};

test('the validator accepts a well-formed fixture', () => {
  assert.deepEqual(validateFixture(GOOD), []);
});

const BROKEN = {
  'a missing field': (f) => {
    delete f.wire;
    return f;
  },
  'an unknown field': (f) => ({ ...f, extra: 1 }),
  'a name that is not kebab-case': (f) => ({ ...f, name: 'Sample_1' }),
  'a two-line description': (f) => ({ ...f, description: 'one\ntwo' }),
  'a wrong captured field': (f) => ({ ...f, captured: '2.9.10' }),
  'a parser without maxPayloadBytes': (f) => ({ ...f, parser: { maxControlLineBytes: 4096 } }),
  'upper-case hex': (f) => ({ ...f, wire: f.wire.toUpperCase() }),
  'a half byte of hex': (f) => ({ ...f, wire: `${f.wire}0` }),
  'no events': (f) => ({ ...f, events: [] }),
  'an unknown event': (f) => ({ ...f, events: ['pang'] }),
  'a trailing space': (f) => ({ ...f, events: ['pong '] }),
  'an INFO line missing a field': (f) => ({ ...f, events: ['info server_id=N1 version=2.9.10 proto=1'] }),
  'a MSG length that does not match its hex': (f) => ({ ...f, events: ['msg foo 1 - 4:68656c6c6f'] }),
  'an HMSG without a status column': (f) => ({ ...f, events: ['hmsg foo 1 - 12:4e4154532f312e300d0a0d0a 0:'] }),
  'a skipped message within maxPayloadBytes': (f) => ({ ...f, events: ['skipped foo 1 1024'] }),
  'an unknown proto_error code': (f) => ({ ...f, events: ['proto_error oops'] }),
  'an event after a proto_error': (f) => ({ ...f, events: ['proto_error protocol', 'pong'] }),
};

for (const [what, breakIt] of Object.entries(BROKEN)) {
  test(`the validator rejects ${what}`, () => {
    assert.notDeepEqual(validateFixture(breakIt(JSON.parse(JSON.stringify(GOOD)))), []);
  });
}

test('the reference decoder rejects a payload not followed by CR LF', () => {
  assert.throws(() => decodeWire(Buffer.from('MSG foo 1 5\r\nhello!\r\n'), GOOD.parser), /not followed by CR LF/);
});

test('the reference decoder rejects an unknown op', () => {
  assert.throws(() => decodeWire(Buffer.from('PONG\r\nFOO\r\n'), GOOD.parser), /unexpected control line/);
});
