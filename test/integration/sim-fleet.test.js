// `nats-mcu sim --fleet`: a mixed fleet file (repeated boards, a per-entry profile and interval) runs
// against the embedded nats-server; every board appears under its own id, and what each published reached
// the peer.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { ROOT } from "../../tools/boards.js";

const run = promisify(execFile);

test("a fleet file of mixed boards: distinct ids, everything published arrives", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(
    file,
    JSON.stringify({
      boards: [
        { board: "esp32-espruino", count: 2, intervalMs: 400 },
        { board: "esp8266-nodemcu", count: 2, profile: "full" },
      ],
      durationS: 2,
      seed: 5,
    }),
  );
  const { stdout } = await run(process.execPath, [join(ROOT, "tools/cli.js"), "sim", "--fleet", file, "--quiet", "--interval", "500"], { cwd: ROOT });
  const rows = stdout.trim().split("\n").slice(1).filter((line) => line.startsWith("esp")).map((line) => line.trim().split(/\s+/));
  assert.match(stdout, /^verdict: pass \(lost 0, maxLoss 0\)$/m);
  assert.deepEqual(rows.map((r) => r[0]), ["esp32-espruino", "esp32-espruino-2", "esp8266-nodemcu", "esp8266-nodemcu-2"]);
  for (const [id, , published, received] of rows) {
    assert.ok(Number(published) > 0, `${id} published`);
    assert.equal(received, published, `${id}: received by the peer`);
  }
});

test("a bad fleet file: exit code 1 and the bad field named", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(file, JSON.stringify({ boards: [{ board: "esp32-espruino", count: -1 }] }));
  await assert.rejects(run(process.execPath, [join(ROOT, "tools/cli.js"), "sim", "--fleet", file], { cwd: ROOT }), (e) => e.code === 1 && e.stderr.includes("boards[0].count: must be an integer >= 1"));
});
