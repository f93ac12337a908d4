// Checks a fixture object against the format in test/fixtures/README.md; returns a list of problems.

const FIELDS = ['name', 'description', 'captured', 'parser', 'wire', 'events'];
const BOOL = '(true|false)';
const INFO = new RegExp(`^info server_id=\\S* version=\\S* proto=-?\\d+ max_payload=-?\\d+ headers=${BOOL} `
  + `auth_required=${BOOL} tls_required=${BOOL} nonce=\\S* ldm=${BOOL} connect_urls=([^,\\s]+(,[^,\\s]+)*)?$`);
const SIZED = '(\\d+):([0-9a-f]*)';
const MSG = new RegExp(`^msg \\S+ \\S+ \\S+ ${SIZED}$`);
const HMSG = new RegExp(`^hmsg \\S+ \\S+ \\S+ (-|\\d{3}) ${SIZED} ${SIZED}$`);
const SKIPPED = /^skipped \S+ \S+ (\d+)$/;
const ERR = /^err \S(.*\S)?$/;
const PROTO_ERROR = /^proto_error protocol$/;
const SIMPLE = new Set(['ping', 'pong', 'ok']);

const isPositiveInt = (value) => Number.isInteger(value) && value > 0;

function sizedProblems(pairs) {
  return pairs
    .filter(([length, hex]) => hex.length !== 2 * Number(length))
    .map(([length, hex]) => `declares ${length} bytes but has ${hex.length / 2}`);
}

export function eventProblems(event, parser) {
  if (typeof event !== 'string') return ['is not a string'];
  if (SIMPLE.has(event) || INFO.test(event) || ERR.test(event) || PROTO_ERROR.test(event)) return [];
  let match = MSG.exec(event);
  if (match) return sizedProblems([[match[1], match[2]]]);
  match = HMSG.exec(event);
  if (match) return sizedProblems([[match[2], match[3]], [match[4], match[5]]]);
  match = SKIPPED.exec(event);
  if (match) {
    return Number(match[1]) > parser?.maxPayloadBytes ? [] : [`skips ${match[1]} bytes, not over maxPayloadBytes ${parser?.maxPayloadBytes}`];
  }
  return ['does not match the event line grammar'];
}

export function validateFixture(fixture) {
  if (fixture === null || typeof fixture !== 'object' || Array.isArray(fixture)) return ['fixture is not an object'];
  const problems = [];
  const fail = (message) => problems.push(message);

  for (const field of FIELDS) if (!(field in fixture)) fail(`missing field "${field}"`);
  for (const field of Object.keys(fixture)) if (!FIELDS.includes(field)) fail(`unknown field "${field}"`);

  const { name, description, captured, parser, wire, events } = fixture;
  if (typeof name !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) fail('name must be kebab-case');
  if (typeof description !== 'string' || !description.trim() || /[\r\n]/.test(description)) fail('description must be one non-empty line');
  if (typeof captured !== 'string' || !/^nats-server v\d+\.\d+\.\d+/.test(captured)) fail('captured must read "nats-server vX.Y.Z"');
  if (parser === null || typeof parser !== 'object' || !isPositiveInt(parser.maxControlLineBytes) || !isPositiveInt(parser.maxPayloadBytes)) {
    fail('parser needs positive integers maxControlLineBytes and maxPayloadBytes');
  }
  if (typeof wire !== 'string' || !wire || !/^([0-9a-f]{2})+$/.test(wire)) fail('wire must be non-empty lowercase hex with whole bytes');
  if (!Array.isArray(events) || events.length === 0) {
    fail('events must be a non-empty array');
  } else {
    events.forEach((event, i) => {
      for (const problem of eventProblems(event, parser)) fail(`event ${i} ${JSON.stringify(event).slice(0, 80)} ${problem}`);
      if (PROTO_ERROR.test(event) && i !== events.length - 1) fail(`event ${i}: nothing may follow a proto_error`);
    });
  }
  return problems;
}
