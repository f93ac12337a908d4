// One raw client connection driven step by step. Every expectation names the exact bytes the server
// must send next (built from what the script itself sent) and the event those bytes stand for, so
// the expected events never come from decoding the capture.
import { connectRaw } from '../support/raw-client.js';
import { errEvent, hmsgEvent, infoEvent, msgEvent, skippedEvent } from './event-lines.js';

const WAIT_MS = 3000;
const QUIET_MS = 50;

const bytesOf = (data) => (Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1'));
const show = (bytes) => JSON.stringify(bytes.toString('latin1').slice(0, 200));

export class ScriptedSession {
  static async open(port, parser) {
    return new ScriptedSession(await connectRaw(port), parser);
  }

  constructor(client, parser) {
    this.client = client;
    this.parser = parser;
    this.cursor = 0;
    this.events = [];
  }

  send(data) {
    this.client.send(data);
  }

  async expectBytes(expected, event, timeoutMs = WAIT_MS) {
    const want = bytesOf(expected);
    const start = this.cursor;
    const matchedSoFar = (bytes) => {
      const got = bytes.subarray(start, start + want.length);
      return want.subarray(0, got.length).equals(got);
    };
    const got = await this.client.waitUntil(
      (bytes) => (bytes.length >= start + want.length || !matchedSoFar(bytes)) && bytes.subarray(start, start + want.length),
      timeoutMs,
      show(want),
    );
    if (!got.equals(want)) throw new Error(`at byte ${start}: expected ${show(want)}, got ${show(got)}`);
    this.cursor += want.length;
    this.events.push(event);
  }

  // INFO is the one op whose bytes the script cannot predict; returns the parsed JSON.
  async expectInfo(check = () => true, timeoutMs = WAIT_MS) {
    const start = this.cursor;
    const end = await this.client.waitUntil((bytes) => {
      const eol = bytes.indexOf('\r\n', start);
      return eol >= 0 && eol;
    }, timeoutMs, 'INFO');
    const line = this.client.received().toString('latin1', start, end);
    // Client and route INFO end in "} ", gateway INFO in "}".
    if (!line.startsWith('INFO {') || !/\} ?$/.test(line)) throw new Error(`at byte ${start}: expected INFO, got ${JSON.stringify(line.slice(0, 200))}`);
    const info = JSON.parse(line.slice('INFO '.length));
    if (!check(info)) throw new Error(`INFO failed the scenario's check: ${line}`);
    this.cursor = end + 2;
    this.events.push(infoEvent(info));
    return info;
  }

  expectPong() {
    return this.expectBytes('PONG\r\n', 'pong');
  }

  expectOk() {
    return this.expectBytes('+OK\r\n', 'ok');
  }

  async expectPing(timeoutMs = WAIT_MS, { answer = true } = {}) {
    await this.expectBytes('PING\r\n', 'ping', timeoutMs);
    if (answer) this.send('PONG\r\n');
  }

  expectErr(message, timeoutMs = WAIT_MS) {
    return this.expectBytes(`-ERR '${message}'\r\n`, errEvent(message), timeoutMs);
  }

  expectMsg({ subject, sid, reply = '', payload }) {
    const body = bytesOf(payload);
    const line = `MSG ${subject} ${sid} ${reply ? `${reply} ` : ''}${body.length}\r\n`;
    const event = body.length > this.parser.maxPayloadBytes
      ? skippedEvent({ subject, sid, totalBytes: body.length })
      : msgEvent({ subject, sid, reply, payload: body });
    return this.expectBytes(Buffer.concat([bytesOf(line), body, bytesOf('\r\n')]), event);
  }

  expectHmsg({ subject, sid, reply = '', status, headers, payload = '' }) {
    const head = bytesOf(headers);
    const body = bytesOf(payload);
    const total = head.length + body.length;
    const line = `HMSG ${subject} ${sid} ${reply ? `${reply} ` : ''}${head.length} ${total}\r\n`;
    const event = total > this.parser.maxPayloadBytes
      ? skippedEvent({ subject, sid, totalBytes: total })
      : hmsgEvent({ subject, sid, reply, status, headers: head, payload: body });
    return this.expectBytes(Buffer.concat([bytesOf(line), head, body, bytesOf('\r\n')]), event);
  }

  async expectClose(timeoutMs = WAIT_MS) {
    await this.client.waitForClose(timeoutMs);
    this.assertAllExpected();
  }

  assertAllExpected() {
    const received = this.client.received();
    if (received.length !== this.cursor) {
      throw new Error(`unexpected bytes after the script's last expectation: ${show(received.subarray(this.cursor))}`);
    }
  }

  // Waits briefly for stray bytes, then closes; returns the transcript.
  async end() {
    if (!this.client.closed) await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    this.assertAllExpected();
    this.client.close();
    return { wire: Buffer.from(this.client.received()), events: [...this.events] };
  }

  close() {
    this.client.close();
  }
}
