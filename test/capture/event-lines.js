// Formats parser events as the one-line strings defined in test/fixtures/README.md.

const text = (value) => (typeof value === 'string' ? value : '');
const number = (value) => (Number.isInteger(value) ? String(value) : '-1');
const bool = (value) => (value === true ? 'true' : 'false');
const list = (value) => (Array.isArray(value) ? value.join(',') : '');

export function infoEvent(info) {
  return [
    'info',
    `server_id=${text(info.server_id)}`,
    `version=${text(info.version)}`,
    `proto=${number(info.proto)}`,
    `max_payload=${number(info.max_payload)}`,
    `headers=${bool(info.headers)}`,
    `auth_required=${bool(info.auth_required)}`,
    `tls_required=${bool(info.tls_required)}`,
    `nonce=${text(info.nonce)}`,
    `ldm=${bool(info.ldm)}`,
    `connect_urls=${list(info.connect_urls)}`,
  ].join(' ');
}

const sized = (bytes) => `${bytes.length}:${bytes.toString('hex')}`;

export function msgEvent({ subject, sid, reply, payload }) {
  return `msg ${subject} ${sid} ${reply || '-'} ${sized(payload)}`;
}

export function hmsgEvent({ subject, sid, reply, status, headers, payload }) {
  return `hmsg ${subject} ${sid} ${reply || '-'} ${status || '-'} ${sized(headers)} ${sized(payload)}`;
}

export function skippedEvent({ subject, sid, totalBytes }) {
  return `skipped ${subject} ${sid} ${totalBytes}`;
}

export function errEvent(message) {
  return `err ${message}`;
}
