// boards.json is validated against tools/boards-schema.json; a bad entry is named field by field.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, loadBoards, validateBoards } from "../../tools/boards.js";

const good = () => JSON.parse(readFileSync(join(ROOT, "boards.json"), "utf8"));

test("the project's boards.json is valid and has the four target boards", () => {
  assert.deepEqual(validateBoards(good()), []);
  const boards = loadBoards();
  for (const name of ["esp32-espruino", "esp8266-espruino", "esp32-nodemcu", "esp8266-nodemcu"]) {
    assert.ok(boards[name], name);
  }
  assert.equal(boards["esp32-nodemcu"].lua, "5.3");
  assert.equal(boards["esp8266-nodemcu"].lua, "5.1");
});

test("each bad field is named", () => {
  const doc = good();
  doc.boards["esp32-nodemcu"].lua = "5.2";
  delete doc.boards["esp32-espruino"].socket.recvChunkBytes;
  doc.boards["esp8266-espruino"].numbers = "float";
  doc.boards["esp8266-nodemcu"].client.maxPayloadBytes = 0;
  doc.boards["esp8266-nodemcu"].client.bogus = 1;
  delete doc.boards["esp32-nodemcu"].numbers;
  assert.deepEqual(validateBoards(doc).sort(), [
    "boards.esp32-espruino.socket.recvChunkBytes: is required",
    "boards.esp32-nodemcu.lua: must be one of \"5.1\", \"5.3\"",
    "boards.esp32-nodemcu.numbers: is required",
    "boards.esp8266-espruino: lua and numbers apply only to nodemcu boards",
    "boards.esp8266-nodemcu.client.bogus: is not a known field",
    "boards.esp8266-nodemcu.client.maxPayloadBytes: must be >= 1",
  ]);
});

test("loading a bad file fails with the file name and the fields", () => {
  const doc = good();
  doc.boards["esp32-espruino"].runtime = "micropython";
  const file = join(mkdtempSync(join(tmpdir(), "boards-")), "boards.json");
  writeFileSync(file, JSON.stringify(doc));
  assert.throws(() => loadBoards(file), (e) => e.message.includes(file) && e.message.includes("boards.esp32-espruino.runtime: must be one of \"espruino\", \"nodemcu\""));
  writeFileSync(file, "{ not json");
  assert.throws(() => loadBoards(file), new RegExp(`${file}: `));
});
