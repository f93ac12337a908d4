// Board faults on both runtimes through `nats-mcu sim --fault` flags: a Wi-Fi drop (boards picked by a
// pattern) and a reset of one board of each runtime. The boards recover (heard again after each fault,
// recovery times in the report), the reset boards booted twice, and nothing published is lost: each boot
// is accounted on its own (sim/accounting.js).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { ROOT } from "../../tools/boards.js";

const run = promisify(execFile);

test("wifi and reset faults by flag: every board recovers, reset boards boot twice, nothing lost", async () => {
  const report = join(mkdtempSync(join(tmpdir(), "sim-board-faults-")), "report.json");
  const args = ["sim", "--board", "esp32-espruino", "--board", "esp8266-espruino", "--board", "esp32-nodemcu", "--board", "esp8266-nodemcu"];
  args.push("--interval", "400", "--duration", "13", "--report", report);
  // off the boards' 50 ms round grid (see sim-faults.test.js): a round on the wire when the Wi-Fi drops is lost
  args.push("--fault", "wifi@1.125:1.5,boards=esp8266*+esp32-nodemcu", "--fault", "reset@8.625:0.5,boards=esp32-espruino+esp8266-nodemcu");
  let stdout;
  try {
    ({ stdout } = await run(process.execPath, [join(ROOT, "tools/cli.js"), ...args], { cwd: ROOT }));
  } catch (e) {
    assert.fail(`exit ${e.code}\n${e.stdout}\n${e.stderr}`);
  }
  const r = JSON.parse(readFileSync(report, "utf8"));
  assert.deepEqual(r.verdict, { pass: true, failures: [] }, stdout);
  assert.deepEqual(r.faults.map((f) => [f.kind, f.boards]), [
    ["wifi", ["esp8266-espruino", "esp32-nodemcu", "esp8266-nodemcu"]],
    ["reset", ["esp32-espruino", "esp8266-nodemcu"]],
  ]);
  for (const f of r.faults) {
    for (const id of f.boards) assert.ok(typeof f.recoveryMs[id] === "number" && f.recoveryMs[id] >= 0, `${f.kind}: ${id} recovered (${f.recoveryMs[id]})`);
  }
  const byId = Object.fromEntries(r.boards.map((b) => [b.id, b]));
  for (const b of r.boards) {
    assert.equal(b.crashes, 0, b.id);
    assert.equal(b.lost, 0, b.id);
    assert.ok(b.published > 0 && b.received - b.heardAfterLastReport === b.published, `${b.id}: ${b.received} (${b.heardAfterLastReport} after a last count) of ${b.published}`);
  }
  assert.deepEqual(r.boards.map((b) => [b.id, b.boots]), [["esp32-espruino", 2], ["esp8266-espruino", 1], ["esp32-nodemcu", 1], ["esp8266-nodemcu", 2]]);
  // the Wi-Fi boards lost their connections and made new ones; the board left alone kept its one
  for (const id of ["esp8266-espruino", "esp32-nodemcu"]) assert.ok(byId[id].reconnects >= 1, `${id}: ${byId[id].reconnects} reconnects`);
  // the live view's lines show the fault while it is on
  assert.match(stdout, /^fault: wifi of 3 board\(s\) at 1\.125 s for 1\.5 s$/m);
  assert.match(stdout, /^fault: reset of 2 board\(s\) at 8\.625 s for 0\.5 s$/m);
  assert.match(stdout, /^fault reset at 8\.625 s: boards heard again within \d+ ms of its end$/m);
});
