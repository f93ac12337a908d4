// An independent, deliberately strict decoder of what nats-server sends: it accepts only the exact
// forms the server writes (upper-case ops, single spaces, CR LF) and throws on anything else, so a
// capture that does not look like a clean server transcript fails loudly.
import { errEvent, hmsgEvent, infoEvent, msgEvent, skippedEvent } from './event-lines.js';

const CRLF = '\r\n';

function size(token, line) {
  if (!/^[0-9]{1,9}$/.test(token)) throw new Error(`bad size ${JSON.stringify(token)} in ${JSON.stringify(line)}`);
  return Number(token);
}

function statusOf(headers) {
  const firstLine = headers.toString('latin1', 0, Math.max(0, headers.indexOf(CRLF)));
  const match = /^NATS\/1\.0(?: ([0-9]{3})(?: .*)?)?$/.exec(firstLine);
  if (!match) throw new Error(`bad header version line ${JSON.stringify(firstLine)}`);
  return match[1];
}

export function decodeWire(wire, { maxControlLineBytes, maxPayloadBytes }) {
  const events = [];
  let pos = 0;

  const takeBody = (length, line) => {
    const body = wire.subarray(pos, pos + length);
    if (body.length !== length || wire.toString('latin1', pos + length, pos + length + 2) !== CRLF) {
      throw new Error(`payload of ${JSON.stringify(line)} is truncated or not followed by CR LF`);
    }
    pos += length + 2;
    return body;
  };

  while (pos < wire.length) {
    const eol = wire.indexOf(CRLF, pos);
    if (eol < 0) throw new Error(`unterminated control line at byte ${pos}`);
    const line = wire.toString('latin1', pos, eol);
    if (line.length > maxControlLineBytes) throw new Error(`control line of ${line.length} bytes exceeds ${maxControlLineBytes}`);
    pos = eol + 2;
    const [op, ...args] = line.split(' ');

    if (op === 'INFO') {
      events.push(infoEvent(JSON.parse(line.slice('INFO '.length))));
    } else if (line === 'PING' || line === 'PONG') {
      events.push(line.toLowerCase());
    } else if (line === '+OK') {
      events.push('ok');
    } else if (op === '-ERR') {
      const match = /^-ERR '(.*)'$/.exec(line);
      if (!match) throw new Error(`bad -ERR line ${JSON.stringify(line)}`);
      events.push(errEvent(match[1]));
    } else if (op === 'MSG' && (args.length === 3 || args.length === 4)) {
      const [subject, sid] = args;
      const reply = args.length === 4 ? args[2] : '';
      const length = size(args.at(-1), line);
      const payload = takeBody(length, line);
      events.push(length > maxPayloadBytes
        ? skippedEvent({ subject, sid, totalBytes: length })
        : msgEvent({ subject, sid, reply, payload }));
    } else if (op === 'HMSG' && (args.length === 4 || args.length === 5)) {
      const [subject, sid] = args;
      const reply = args.length === 5 ? args[2] : '';
      const headerLength = size(args.at(-2), line);
      const total = size(args.at(-1), line);
      if (headerLength > total) throw new Error(`header size above total in ${JSON.stringify(line)}`);
      const body = takeBody(total, line);
      const headers = body.subarray(0, headerLength);
      events.push(total > maxPayloadBytes
        ? skippedEvent({ subject, sid, totalBytes: total })
        : hmsgEvent({ subject, sid, reply, status: statusOf(headers), headers, payload: body.subarray(headerLength) }));
    } else {
      throw new Error(`unexpected control line ${JSON.stringify(line.slice(0, 80))}`);
    }
  }
  return events;
}
