// Shared pieces of the resilience and messaging integration tests: the boards every scenario runs on,
// the probe's stats line, waiting on board logs, and the end-of-scenario health check.
import assert from "node:assert/strict";
import { until } from "./probe-fleet.js";

// One board per runtime and Lua version: Espruino on ESP32, NodeMCU Lua 5.1 (ESP8266) and 5.3 (ESP32).
export const BOARDS = [
  { name: "esp32-espruino", id: "js1" },
  { name: "esp8266-nodemcu", id: "lua51" },
  { name: "esp32-nodemcu", id: "lua53" },
];

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The probe's "stats" answer ("inMsgs=1 outMsgs=2 …") as numbers. */
export function parseStats(line) {
  const stats = {};
  for (const part of line.split(" ")) {
    const [key, value] = part.split("=");
    assert.match(value ?? "", /^\d+$/, `stats field ${JSON.stringify(part)} in ${JSON.stringify(line)}`);
    stats[key] = Number(value);
  }
  return stats;
}

/**
 * Retries fn (which may throw, e.g. a request that finds no responder yet) until it returns a truthy
 * value; the last error goes into the failure message.
 */
export async function eventually(what, fn, timeoutMs = 10000) {
  let last;
  try {
    return await until(what, async () => {
      try {
        return await fn();
      } catch (e) {
        last = e;
        return undefined;
      }
    }, timeoutMs);
  } catch (e) {
    throw new Error(`${e.message}${last ? ` (last error: ${last.message})` : ""}`, { cause: e });
  }
}

/** Lines of a board's log; `from` skips the lines logged before a mark (board.logs.length). */
export const linesOf = (board, from = 0) => board.logs.slice(from);

/** Waits for a log line matching re (after index from); resolves { line, index, at: Date.now() }. */
export async function waitLog(board, re, timeoutMs = 10000, from = 0) {
  try {
    return await until(`${board.id} to log ${re}`, () => {
      const index = board.logs.findIndex((l, i) => i >= from && re.test(l));
      return index >= 0 ? { line: board.logs[index], index, at: Date.now() } : undefined;
    }, timeoutMs);
  } catch (e) {
    throw new Error(`${e.message}; ${board.id} logged: ${JSON.stringify(board.logs.slice(Math.max(from, board.logs.length - 15)))}`, { cause: e });
  }
}

/** No broken device rule (NodeMCU's one send in flight…), no crash, no reboot on any board. */
export function assertHealthy(boards) {
  for (const b of boards) {
    assert.deepEqual(b.faults, [], `${b.id} broke a device rule`);
    assert.deepEqual(b.crashes, [], `${b.id} crashed`);
    assert.deepEqual(b.reboots, [], `${b.id} rebooted`);
  }
}
