// `nats-mcu sim --cluster 3`: a routed 3-node nats-server cluster; board i's home node is i mod 3 (its
// link goes there first, through the fault proxy), and what every board publishes reaches the peer.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expandFleet } from "../../sim/fleet-spec.js";
import { simulate, summaryTable } from "../../sim/simulate.js";

test("a mixed fleet spread over a 3-node cluster: each board on its own node, nothing lost", async () => {
  const boards = expandFleet({ boards: [{ board: "esp32-espruino", count: 3 }, { board: "esp8266-nodemcu", count: 2 }, { board: "esp32-nodemcu" }] }, { intervalMs: 400 });
  const { rows, ok, serverUrl } = await simulate({ boards, durationS: 2, cluster: 3 });
  assert.equal(serverUrl.split(",").length, 3);
  assert.deepEqual(rows.map((r) => r.node), [0, 1, 2, 0, 1, 2], summaryTable(rows));
  assert.ok(ok, summaryTable(rows));
  for (const r of rows) assert.ok(r.published > 0 && r.received === r.published, `${r.board}: ${r.received} of ${r.published}`);
  assert.match(summaryTable(rows), /^board\s+runtime\s+node\s+published/);
});
