import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findOnPath } from '../support/find-on-path.js';

// A throw-away self-signed certificate for 127.0.0.1, or null when openssl is not installed.
export function makeSelfSignedCert() {
  const openssl = findOnPath('openssl');
  if (!openssl) return null;
  const dir = mkdtempSync(path.join(tmpdir(), 'nats-tls-'));
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  execFileSync(openssl, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'pipe' });
  return { certPath, keyPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
