// The smallest boards run the metrics app (profile pubsub) connected to nats-server: an ESP8266 Espruino
// board (1,600 JsVars) with the library in Storage and the app in .bootcde, as `nats-mcu flash` deploys it
// (espruino.md §5), and an
// ESP8266 NodeMCU board (40 KB heap) with library and app in LFS. Nothing is lost, memory is left.
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulate } from "../../sim/simulate.js";

test("ESP8266 Espruino (pubsub from Storage) and ESP8266 NodeMCU run the metrics app connected", async () => {
  const { rows } = await simulate({ boards: ["esp8266-espruino", "esp8266-nodemcu"], durationS: 3, intervalMs: 500 });
  for (const r of rows) {
    console.log(`# ${r.board}: published ${r.published}, received ${r.received}, free ${r.free} ${r.runtime === "espruino" ? "vars" : "B"}`);
    assert.equal(r.ping, "ok", `${r.board} answered`);
    assert.ok(r.published > 0, `${r.board} published`);
    assert.equal(r.received, r.published, `${r.board} lost nothing`);
    assert.equal(r.errors, 0, `${r.board} reported no error`);
  }
  const espruino = rows.find((r) => r.board === "esp8266-espruino");
  assert.ok(espruino.free >= 800, `${espruino.free} JsVars free while connected (at least 800 wanted)`);
  const nodemcu = rows.find((r) => r.board === "esp8266-nodemcu");
  assert.ok(nodemcu.free >= 12000, `${nodemcu.free} B of heap free while connected`);
});
