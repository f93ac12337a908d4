// A hostile server (a scripted TCP server, not nats-server) against boards of both runtimes running the
// pubsub library through their real adapters in the emulators: slowloris INFO, keepalive PINGs never
// answered, garbage after a valid session, a declared 1 GB payload, a MSG flood, an INFO with thousands
// of connect_urls, a close mid-payload. Each time the boards survive (no crash, panic, reboot or device
// rule broken), keep printing, stay within their memory, and report the right status events.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { bootEspruinoBoard } from "../../sim/espruino/board.js";
import { startNodeMcuHost } from "../../sim/nodemcu/launch.js";

const BOARDS = loadBoards();
const OPTIONS = "pingInterval: 300, maxPingsOut: 2, timeout: 1000, reconnectWait: 200, maxReconnectWait: 400, reconnectJitter: 0";
const INFO = (extra = "") => `INFO {"server_id":"HOSTILE","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576${extra}} \r\n`;

/** A TCP server running script(socket, afterHandshake) for every connection; afterHandshake runs after PONG. */
async function hostileServer(script) {
  const sockets = new Set();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => {});
    let seen = "";
    let answered = false;
    const afterHandshake = (fn) => {
      sock.on("data", (d) => {
        seen += d.toString("latin1");
        if (!answered && seen.includes("CONNECT ") && seen.includes("PING\r\n")) {
          answered = true;
          sock.write("PONG\r\n");
          fn();
        }
      });
    };
    script(sock, afterHandshake);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `nats://127.0.0.1:${server.address().port}`,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const espruinoApp = (url) => `
var nc = require("nats-mcu").connect({ servers: "${url}", ${OPTIONS} });
var got = 0;
nc.onStatus(function (e, d) { console.log("status " + e + " " + d); });
nc.subscribe("x", function () { got++; });
setInterval(function () { console.log("alive " + got + " " + process.memory(false).usage); }, 250);
`;

const nodemcuApp = (url) => `
local nc = require("nats_mcu").connect({ servers = "${url}", ${OPTIONS.replace(/:/g, " =")} })
local got = 0
nc:onStatus(function(e, d) print("status " .. e .. " " .. tostring(d)) end)
nc:subscribe("x", function() got = got + 1 end)
tmr.create():alarm(250, tmr.ALARM_AUTO, function() print("alive " .. got .. " " .. node.heap()) end)
`;

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Boots an ESP32 Espruino board and an ESP8266 NodeMCU board (lua5.1) against the server; runs check. */
async function withBoards(server, check) {
  const espruinoLogs = [];
  const crashes = [];
  const espruino = bootEspruinoBoard({
    id: "e", boardName: "esp32-espruino", board: BOARDS["esp32-espruino"], seed: 1,
    modules: { "nats-mcu": readFileSync(join(ROOT, "build", "esp32-espruino", "nats-mcu.js"), "latin1") },
    app: espruinoApp(server.url), onLog: (l) => espruinoLogs.push(l), onCrash: (m) => crashes.push(m),
  });
  const host = await startNodeMcuHost({ boards: [{ id: "n", board: "esp8266-nodemcu", ip_at_boot: true, app_source: nodemcuApp(server.url) }] });
  const nodemcuLogs = () => host.events.filter((e) => e.kind === "print").map((e) => e.detail);
  const boards = [
    { name: "esp32-espruino", logs: () => espruinoLogs, broken: () => crashes },
    { name: "esp8266-nodemcu", logs: nodemcuLogs, broken: () => host.events.filter((e) => ["crash", "panic", "reboot", "fault"].includes(e.kind)).map((e) => `${e.kind} ${e.detail}`) },
  ];
  try {
    for (const b of boards) {
      await check(b);
      // it survived: still printing afterwards, nothing broken, memory within its budget
      const n = b.logs().filter((l) => l.startsWith("alive")).length;
      await until(`${b.name} still alive`, () => b.logs().filter((l) => l.startsWith("alive")).length > n + 1, 3000);
      assert.deepEqual(b.broken(), [], `${b.name} broke`);
      const last = b.logs().filter((l) => l.startsWith("alive")).pop().split(" ");
      if (b.name === "esp32-espruino") assert.ok(Number(last[2]) < BOARDS["esp32-espruino"].memory.budget, `${last[2]} JsVars`);
      else assert.ok(Number(last[2]) > 0, `${last[2]} B heap free`);
    }
  } finally {
    await espruino.stop();
    await host.stop();
  }
}

const statusSeen = (b, re) => until(`${b.name}: ${re}`, () => b.logs().some((l) => re.test(l)), 6000);

test("slowloris INFO: the handshake times out, the board goes on retrying", async () => {
  const server = await hostileServer((sock) => {
    const text = INFO();
    let i = 0;
    const t = setInterval(() => (i < text.length && !sock.destroyed ? sock.write(text[i++]) : clearInterval(t)), 100);
    sock.on("close", () => clearInterval(t));
  });
  try {
    await withBoards(server, (b) => statusSeen(b, /^status error timeout/));
  } finally {
    await server.stop();
  }
});

test("keepalive PINGs never answered: the link is stale and dropped", async () => {
  const server = await hostileServer((sock, afterHandshake) => {
    sock.write(INFO());
    afterHandshake(() => {});
  });
  try {
    await withBoards(server, async (b) => {
      await statusSeen(b, /^status connect/);
      await statusSeen(b, /^status error stale_connection/);
    });
  } finally {
    await server.stop();
  }
});

test("garbage after a valid session: a protocol error, the link dropped, a reconnect", async () => {
  const server = await hostileServer((sock, afterHandshake) => {
    sock.write(INFO());
    afterHandshake(() => setTimeout(() => sock.write("MSG x 1 2\r\nok\r\n\u0000\u0001\u00ffgarbage\r\n"), 50));
  });
  try {
    await withBoards(server, async (b) => {
      await statusSeen(b, /^status error protocol/);
      await statusSeen(b, /^status reconnect/);
    });
  } finally {
    await server.stop();
  }
});

test("a declared 1 GB payload (999,999,999 bytes: sizes have at most 9 digits) is skipped without buffering it", async () => {
  const server = await hostileServer((sock, afterHandshake) => {
    sock.write(INFO());
    afterHandshake(() => {
      sock.write("MSG x 1 999999999\r\n");
      let sent = 0;
      const t = setInterval(() => {
        if (sock.destroyed || sent > 2000000) return clearInterval(t);
        sock.write("y".repeat(65536));
        sent += 65536;
      }, 5);
      sock.on("close", () => clearInterval(t));
    });
  });
  try {
    await withBoards(server, (b) => statusSeen(b, /^status error payload_too_large/));
  } finally {
    await server.stop();
  }
});

test("a MSG flood faster than the app: every message delivered, memory bounded", async () => {
  const n = 20000;
  const server = await hostileServer((sock, afterHandshake) => {
    sock.write(INFO());
    afterHandshake(() => sock.write("MSG x 1 8\r\n12345678\r\n".repeat(n) + "PING\r\n"));
  });
  try {
    // (the server answers no keepalive PING, so a slow board may go stale and get the flood again: at least n)
    await withBoards(server, (b) => until(`${b.name}: ${n} messages`, () => b.logs().some((l) => l.startsWith("alive ") && Number(l.split(" ")[1]) >= n), 20000));
  } finally {
    await server.stop();
  }
});

test("an INFO with thousands of connect_urls (over the board's line limit): the board connects anyway", async () => {
  const urls = Array.from({ length: 3000 }, (_, i) => `"10.${i >> 8}.${i & 255}.1:4222"`).join(",");
  const server = await hostileServer((sock, afterHandshake) => {
    sock.write(INFO(`,"connect_urls":[${urls}]`));
    afterHandshake(() => {});
  });
  try {
    await withBoards(server, (b) => statusSeen(b, /^status connect/));
  } finally {
    await server.stop();
  }
});

test("the server closes mid-payload: a disconnect, then a reconnect", async () => {
  const server = await hostileServer((sock, afterHandshake) => {
    sock.write(INFO());
    afterHandshake(() => sock.end("MSG x 1 100\r\n" + "z".repeat(50)));
  });
  try {
    await withBoards(server, async (b) => {
      await statusSeen(b, /^status disconnect/);
      await statusSeen(b, /^status reconnect/);
    });
  } finally {
    await server.stop();
  }
});
