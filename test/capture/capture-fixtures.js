// npm run fixtures [-- name ...]: captures wire transcripts from a real nats-server into test/fixtures/.
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findNatsServer } from '../support/nats-server.js';
import { validateFixture } from './fixture-validator.js';
import { decodeWire } from './reference-decoder.js';
import errorScenarios from './scenarios/errors.js';
import infoScenarios from './scenarios/info.js';
import messageScenarios from './scenarios/messages.js';
import { makeSelfSignedCert } from './tls-cert.js';

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
const DEFAULT_PARSER = { maxControlLineBytes: 4096, maxPayloadBytes: 1048576 };
const SCENARIO_DEADLINE_MS = 30_000;

function withDeadline(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function firstDifference(actual, expected) {
  const i = actual.findIndex((event, index) => event !== expected[index]);
  const at = i < 0 ? Math.min(actual.length, expected.length) : i;
  return `event ${at}: decoded ${JSON.stringify(actual[at])}, scripted ${JSON.stringify(expected[at])}`;
}

async function captureFixture(scenario, context) {
  const parser = { ...DEFAULT_PARSER, ...scenario.parser };
  const { wire, events } = await withDeadline(scenario.capture({ ...context, parser }), SCENARIO_DEADLINE_MS, scenario.name);
  const decoded = decodeWire(wire, parser);
  if (!isDeepStrictEqual(decoded, events)) {
    throw new Error(`the reference decoder disagrees with the script: ${firstDifference(decoded, events)}`);
  }
  const fixture = { name: scenario.name, description: scenario.description, captured: context.captured, parser, wire: wire.toString('hex'), events };
  const problems = validateFixture(fixture);
  if (problems.length) throw new Error(`invalid fixture: ${problems.join('; ')}`);
  return fixture;
}

async function main() {
  const only = new Set(process.argv.slice(2));
  const scenarios = [...messageScenarios, ...infoScenarios, ...errorScenarios].filter((s) => only.size === 0 || only.has(s.name));
  const unknown = [...only].filter((name) => !scenarios.some((s) => s.name === name));
  if (unknown.length) throw new Error(`unknown fixture name(s): ${unknown.join(', ')}`);

  const version = execFileSync(findNatsServer(), ['--version'], { encoding: 'utf8' }).trim(); // "nats-server: v2.9.10"
  const captured = version.replace(/^nats-server:\s*/, 'nats-server ');
  if (captured !== 'nats-server v2.9.10') console.warn(`warning: fixtures are meant to come from nats-server v2.9.10, this is ${captured}`);

  const tls = scenarios.some((s) => s.requires === 'tls') ? makeSelfSignedCert() : null;
  const failures = [];
  try {
    for (const scenario of scenarios) {
      if (scenario.requires === 'tls' && !tls) {
        console.log(`${scenario.name.padEnd(44)} skipped: openssl not on PATH (needed for a TLS certificate)`);
        continue;
      }
      const started = Date.now();
      try {
        const fixture = await captureFixture(scenario, { captured, tls });
        writeFileSync(`${FIXTURES_DIR}${fixture.name}.json`, `${JSON.stringify(fixture, null, 2)}\n`);
        console.log(`${fixture.name.padEnd(44)} ${String(fixture.wire.length / 2).padStart(6)} bytes ${String(fixture.events.length).padStart(3)} events ${String(Date.now() - started).padStart(5)} ms`);
      } catch (error) {
        failures.push(scenario.name);
        console.error(`${scenario.name.padEnd(44)} FAILED: ${error.message}`);
      }
    }
  } finally {
    tls?.remove();
  }
  if (failures.length) throw new Error(`${failures.length} fixture(s) failed: ${failures.join(', ')}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`capture-fixtures: ${error.message}`);
    process.exit(1);
  },
);
