// The Espruino emulator's Wi-Fi fault (board.accessPoint(up)) on both chips: the station loses its access
// point ("disconnected" with reason "200", beacon timeout), open sockets close with the chip's error, a connect
// finds no route (-4) until the access point is back, then the station joins again ("associated",
// "connected") and connects work.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { bootEspruinoBoard } from "../../sim/espruino/board.js";
import { loadBoards } from "../../tools/boards.js";
import { startServer } from "../support/nats-server.js";

const BOARDS = loadBoards();
let server;
const booted = [];

before(async () => {
  server = await startServer();
});
after(async () => {
  await Promise.all(booted.map((b) => b.stop()));
  await server?.stop();
});

const app = (port) => `
var Wifi = require("Wifi");
Wifi.on("disconnected", function (d) { console.log("wifi-down " + d.reason); });
Wifi.on("connected", function () { console.log("wifi-up"); });
function open(tag) {
  var s = require("net").connect({ host: "127.0.0.1", port: ${port} }, function () { console.log(tag + " connected"); });
  s.on("error", function (e) { console.log(tag + " error " + e.code + " " + e.message); });
  s.on("close", function () { console.log(tag + " closed"); });
}
open("first");
`;

for (const [name, closeError] of [["esp32-espruino", undefined], ["esp8266-espruino", "first error -9 connection reset"]]) {
  test(`${name}: the access point goes away and comes back`, async () => {
    const board = bootEspruinoBoard({ id: name, boardName: name, board: BOARDS[name], app: app(server.port), seed: 1 });
    booted.push(board);
    await board.waitForLog("first connected");
    await board.waitForLog("wifi-up"); // the saved network joined after boot
    board.accessPoint(false);
    await board.waitForLog("wifi-down 200");
    await board.waitForLog("first closed");
    if (closeError) assert.ok(board.logs.includes(closeError), board.logs.join("\n"));
    else assert.ok(!board.logs.some((l) => l.startsWith("first error")), "ESP32: read as a remote close, no error");
    board.repl('open("second")');
    await board.waitForLog("second error -4 no route");
    await board.waitForLog("second closed");
    board.accessPoint(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(board.logs.filter((l) => l === "wifi-up").length, 2, board.logs.join("\n"));
    board.repl('open("third")');
    await board.waitForLog("third connected");
    assert.equal(board.crashed, undefined);
  });
}
