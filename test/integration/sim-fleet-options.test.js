// Fleet file payloadBytes and options reach the boards' app config on both runtimes: the peer hears payloads
// of that size, and boards given a 300 ms ping interval find a stalled broker's link stale and reconnect,
// while the same boards with the default interval (30 s) keep their links through the stall.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { ROOT } from "../../tools/boards.js";

const run = promisify(execFile);

test("payloadBytes pads what the boards publish; options (pingInterval) change how they see a stalled broker", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sim-fleet-options-"));
  const fleet = join(dir, "fleet.json");
  const report = join(dir, "report.json");
  const fast = { pingInterval: 300, maxPingsOut: 2 };
  writeFileSync(
    fleet,
    JSON.stringify({
      boards: [
        { board: "esp32-espruino", payloadBytes: 200, options: fast },
        { board: "esp32-espruino" },
        { board: "esp8266-nodemcu", payloadBytes: 120, options: fast },
        { board: "esp8266-nodemcu" },
      ],
      durationS: 8,
    }),
  );
  const { stdout } = await run(process.execPath, [join(ROOT, "tools/cli.js"), "sim", "--fleet", fleet, "--interval", "300", "--fault", "stall@2:2.5", "--quiet", "--report", report], { cwd: ROOT });
  const r = JSON.parse(readFileSync(report, "utf8"));
  assert.deepEqual(r.verdict, { pass: true, failures: [] }, stdout);
  const b = Object.fromEntries(r.boards.map((x) => [x.id, x]));
  assert.deepEqual(b["esp32-espruino"].payloadBytes, { min: 200, max: 200 });
  assert.deepEqual(b["esp8266-nodemcu"].payloadBytes, { min: 120, max: 120 });
  for (const id of ["esp32-espruino-2", "esp8266-nodemcu-2"]) assert.ok(b[id].payloadBytes.max < 20, `${id}: unpadded readings`);
  for (const id of ["esp32-espruino", "esp8266-nodemcu"]) assert.ok(b[id].reconnects >= 1, `${id}: 300 ms pings found the stall (${b[id].reconnects} reconnects)`);
  for (const id of ["esp32-espruino-2", "esp8266-nodemcu-2"]) assert.equal(b[id].reconnects, 0, `${id}: 30 s pings never noticed`);
});
