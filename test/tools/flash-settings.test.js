// What `nats-mcu flash` decides before it touches a port: settings from flags over the config file,
// each one checked; the config.lua a NodeMCU board gets (run by a real Lua); an over-budget build refused.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadBoards } from "../../tools/boards.js";
import { flash, flashArtifacts, flashSettings } from "../../tools/flash/flash.js";
import { luaTable } from "../../tools/flash/lua-table.js";

const dir = mkdtempSync(join(tmpdir(), "nats-mcu-flash-settings-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name, data) => {
  const p = join(dir, name);
  writeFileSync(p, typeof data === "string" ? data : JSON.stringify(data));
  return p;
};

test("flags win over the config file; the file fills the rest; defaults: board name as id, 1000 ms", () => {
  const config = file("a.json", { server: "nats://10.0.0.5:4222", id: "kitchen", ssid: "home", password: "pw", interval: 500 });
  assert.deepEqual(flashSettings({ board: "esp32-espruino", config, id: "porch" }, dir), {
    server: "nats://10.0.0.5:4222", interval: 500, id: "porch", ssid: "home", password: "pw", configFile: config,
  });
  const s = flashSettings({ board: "esp32-espruino", server: "nats://h:1" }, dir);
  assert.equal(s.id, "esp32-espruino");
  assert.equal(s.interval, 1000);
  assert.equal(s.ssid, undefined);
});

test("./nats-mcu.config.json is read when --config is not given", () => {
  const cwd = mkdtempSync(join(dir, "cwd-"));
  writeFileSync(join(cwd, "nats-mcu.config.json"), JSON.stringify({ server: "nats://h:4222", id: "shed" }));
  const s = flashSettings({ board: "esp32-nodemcu" }, cwd);
  assert.equal(s.id, "shed");
  assert.equal(s.configFile, join(cwd, "nats-mcu.config.json"));
});

test("each bad setting is named", () => {
  const base = { board: "esp32-espruino", server: "nats://h:4222" };
  assert.throws(() => flashSettings({ board: "x" }, dir), /needs a broker URL: --server nats:\/\/host:port/);
  assert.throws(() => flashSettings({ ...base, server: "http://h" }, dir), /broker URL/);
  assert.throws(() => flashSettings({ ...base, id: "a.b" }, dir), /--id must be .*subject token.*"a\.b"/);
  assert.throws(() => flashSettings({ ...base, interval: "5" }, dir), /--interval must be a whole number of ms ≥ 10, got 5/);
  assert.throws(() => flashSettings({ ...base, password: "x" }, dir), /--password given without --ssid/);
  assert.throws(() => flashSettings({ ...base, config: file("bad.json", "{") }, dir), /--config .*bad\.json: /);
  assert.throws(() => flashSettings({ ...base, config: file("unknown.json", { sever: "x" }) }, dir), /unknown key sever \(known: server, id/);
  assert.throws(() => flashSettings({ ...base, config: join(dir, "missing.json") }, dir), /--config .*missing\.json: .*no such file/i);
});

test("config.lua: a table Lua reads back byte for byte, quotes, backslashes, newlines and UTF-8 included", () => {
  const cfg = { boardId: "b1", servers: "nats://h:4222", intervalMs: 1000, ssid: 'my "net"\\\n', pwd: "pässwörd", list: ["a", "b"], on: true };
  const lua = `local c = ${luaTable(cfg)}\n` +
    'io.write(c.boardId, "|", c.servers, "|", c.intervalMs, "|", c.ssid, "|", c.pwd, "|", c.list[2], "|", tostring(c.on))';
  const r = spawnSync("lua5.1", ["-e", lua], { encoding: "latin1" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(Buffer.from(r.stdout, "latin1").toString("utf8"), `b1|nats://h:4222|1000|my "net"\\\n|pässwörd|b|true`);
  assert.throws(() => luaTable({ "bad-key": 1 }), /config key "bad-key" is not a Lua name/);
  assert.throws(() => luaTable({ x: 1.5 }), /config\.x: cannot be written/);
});

test("an app needs its profile; unknown apps and profiles are named", async () => {
  const boards = loadBoards();
  await assert.rejects(flashArtifacts("esp32-espruino", boards["esp32-espruino"], "probe", "pub"), /app probe needs profile \w+ or larger/);
  await assert.rejects(flashArtifacts("esp32-espruino", boards["esp32-espruino"], "nope"), /unknown app "nope"/);
  await assert.rejects(flashArtifacts("esp32-espruino", boards["esp32-espruino"], "metrics", "huge"), /unknown profile "huge"/);
  await assert.rejects(flash({ board: "esp99", port: "tcp://127.0.0.1:1", server: "nats://h:1" }), /unknown board "esp99"/);
  await assert.rejects(flash({ board: "esp32-nodemcu", server: "nats://h:1" }), /--port is required/);
});

test("a build over the board's budget never reaches the port", async () => {
  const boards = loadBoards();
  const tight = JSON.parse(JSON.stringify(boards["esp8266-espruino"]));
  for (const p of Object.keys(tight.budgets)) for (const k of Object.keys(tight.budgets[p])) tight.budgets[p][k] = 1;
  await assert.rejects(flashArtifacts("esp8266-espruino", tight, "metrics"), /over budget \(boards\.json\):\n {2}esp8266-espruino profile/);
});
