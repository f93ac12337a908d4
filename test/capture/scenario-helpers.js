import { startServer } from '../support/nats-server.js';
import { ScriptedSession } from './scripted-session.js';

export const CONNECT_FIELDS = { verbose: false, pedantic: false, protocol: 1, headers: true, no_responders: true };

export const connectLine = (fields = {}) => `CONNECT ${JSON.stringify({ ...CONNECT_FIELDS, ...fields })}\r\n`;

export async function withServer(options, run) {
  const server = await startServer(options);
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

// Opens a session on port and reads the INFO.
export async function greeted(port, parser, checkInfo) {
  const session = await ScriptedSession.open(port, parser);
  await session.expectInfo(checkInfo);
  return session;
}

// Opens a session on port, reads the INFO, connects and waits for the PONG.
export async function connected(port, parser, { connect = {}, checkInfo } = {}) {
  const session = await greeted(port, parser, checkInfo);
  session.send(`${connectLine(connect)}PING\r\n`);
  await session.expectPong();
  return session;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
