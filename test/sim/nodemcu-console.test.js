// Simulated NodeMCU boards with a Lua console on a TCP port (sim/nodemcu/console.js) and the NodeMCU
// uploader (tools/flash/nodemcu.js): the console behaves as the firmware's UART console does (echo,
// prompts, continuation, "Lua error:" lines), the board's files live in its directory, and a flashed
// app runs after node.restart() and reaches a nats-server.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startNodeMcuConsoleBoard } from "../../sim/nodemcu/console.js";
import { checkLua } from "../../sim/nodemcu/launch.js";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { flashNodeMcu, initLua } from "../../tools/flash/nodemcu.js";
import { startServer } from "../support/nats-server.js";
import { startByteDroppingProxy } from "../support/byte-dropping-proxy.js";
import { closedPort, silentPort } from "../support/dead-ports.js";

const BOARDS = loadBoards();
const KINDS = [["esp8266-nodemcu", "lua5.1"], ["esp32-nodemcu", "lua5.3"]];
const ONIP = readFileSync(join(ROOT, "sim", "nodemcu", "prelude-onip.lua"), "latin1");
const libOf = (name) => join(ROOT, "build", name, "pubsub", "nats_mcu.lua");

let dirs;
before(() => {
  for (const [, lua] of KINDS) checkLua(lua);
  if (!KINDS.every(([name]) => existsSync(libOf(name)))) {
    const r = spawnSync(process.execPath, [join(ROOT, "tools", "cli.js"), "build"], { cwd: ROOT, stdio: "inherit" });
    assert.equal(r.status, 0, "node tools/cli.js build failed");
  }
  dirs = mkdtempSync(join(tmpdir(), "nodemcu-console-test-"));
});
after(() => rmSync(dirs, { recursive: true, force: true }));

let serial = 0;
async function startBoard(name, options = {}) {
  serial += 1;
  const dir = options.dir ?? join(dirs, `${name}-${serial}`);
  const board = await startNodeMcuConsoleBoard({ id: `${name}-${serial}`, boardName: name, board: BOARDS[name], dir, ...options });
  return { ...board, name, url: `tcp://127.0.0.1:${board.port}` };
}

/** A raw client of a console: run(line) resolves with everything printed after sending it, up to the next prompt. */
async function connect(port) {
  const sock = net.connect(port, "127.0.0.1");
  await new Promise((resolve, reject) => sock.once("connect", resolve).once("error", reject));
  let out = "";
  let check = () => {};
  sock.on("data", (d) => {
    out += d.toString("latin1");
    check();
  });
  const until = (test, ms = 5000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console: timed out; got ${JSON.stringify(out)}`)), ms);
    check = () => {
      const v = test(out);
      if (v !== undefined) {
        clearTimeout(timer);
        check = () => {};
        resolve(v);
      }
    };
    check();
  });
  return {
    write: (s) => sock.write(s, "latin1"),
    until,
    async run(line, ms) {
      const from = out.length;
      sock.write(line + "\n", "latin1");
      return until((o) => (/\r\n(>>?) $/.test(o.slice(from)) ? o.slice(from) : undefined), ms);
    },
    close: () => sock.destroy(),
  };
}

/** A Lua expression that opens a file on either branch (ESP8266 file.open, ESP32 io.open). */
const OPEN = "(file.open or io.open)";

/** Writes text to a board file through the console, one line per write. */
async function putFile(con, name, text) {
  await con.run(`f = ${OPEN}("${name}", "w+")`);
  for (const line of text.split("\n")) await con.run(`f:write(${JSON.stringify(line + "\n")})`);
  await con.run("f:close()");
}

for (const [name, lua] of KINDS) {
  describe(`console of a simulated ${name} (${lua})`, () => {
    let board;
    let con;
    before(async () => {
      board = await startBoard(name);
      con = await connect(board.port);
    });
    after(async () => {
      con?.close();
      await board?.stop();
    });

    test("echoes input, answers with the prompt, prints results and =expr values", async () => {
      con.write("\n");
      await con.until((o) => (o.endsWith("\r\n> ") ? true : undefined));
      assert.equal(await con.run("print('hi', 1+2)"), "print('hi', 1+2)\r\nhi\t3\r\n> ");
      assert.equal(await con.run("=7*6"), "=7*6\r\n42\r\n> ");
      assert.equal(await con.run("return 'a', nil, 3"), "return 'a', nil, 3\r\na\tnil\t3\r\n> ");
    });

    test("an incomplete chunk continues behind the >> prompt", async () => {
      assert.equal(await con.run("for i = 1, 2 do"), "for i = 1, 2 do\r\n>> ");
      assert.equal(await con.run("print(i)"), "print(i)\r\n>> ");
      assert.equal(await con.run("end"), "end\r\n1\r\n2\r\n> ");
      assert.equal(await con.run("s = [[a"), "s = [[a\r\n>> ");
      assert.equal(await con.run("b]] print(#s)"), "b]] print(#s)\r\n3\r\n> ");
    });

    test("errors are printed as 'Lua error:' with the stdin:1: message", async () => {
      const runtime = await con.run("error('boom')");
      assert.match(runtime, /^error\('boom'\)\r\nLua error: \tstdin:1: boom\r\nstack traceback:\r\n(\t.*\r\n)*> $/);
      assert.equal(await con.run("x = = 1"), "x = = 1\r\nLua error: \tstdin:1: unexpected symbol near '='\r\n> ");
      assert.match(await con.run("nosuch()"), /^nosuch\(\)\r\nLua error: \tstdin:1: attempt to call .*'nosuch'/);
    });

    test("line discipline: CRLF is one line end, backspace erases, an overlong line loses its start", async () => {
      const from = await con.run("prinx\bt(1)\r");
      assert.equal(from, "prinx\b \bt(1)\r\n1\r\n> ");
      assert.equal(await con.run(""), "\r\n> "); // the \n of the CRLF above was swallowed; an empty line re-prompts
      const tail = await con.run("-".repeat(255) + 'print("tail")');
      assert.match(tail, /\r\ntail\r\n> $/);
    });

    test("file API round trip with binary bytes, as the branch has it", async () => {
      const bytes = [0, 1, 2, 13, 10, 127, 128, 200, 255];
      const literal = bytes.map((b) => `\\${b}`).join("");
      await con.run(`f = ${OPEN}("bin.dat", "w+") f:write("${literal}") f:close()`);
      assert.deepEqual([...readFileSync(join(board.dir, "bin.dat"))], bytes);
      const back = await con.run(`f = ${OPEN}("bin.dat", "r") s = f:read(1024) f:close() print(#s, s:byte(1, -1))`);
      assert.equal(back.split("\r\n")[1], [bytes.length, ...bytes].join("\t"));
      assert.equal((await con.run("=file.list()['bin.dat'], file.exists('bin.dat'), file.exists('nope')")).split("\r\n")[1], "9\ttrue\tfalse");
      assert.equal((await con.run("=file.rename('bin.dat', 'b2.dat'), file.exists('bin.dat')")).split("\r\n")[1], "true\tfalse");
      const [remaining, used, total] = (await con.run("=file.fsinfo()")).split("\r\n")[1].split("\t").map(Number);
      assert.ok(used >= 9 && remaining + used === total, `fsinfo ${remaining} ${used} ${total}`);
      await con.run("file.remove('b2.dat')");
      assert.ok(!existsSync(join(board.dir, "b2.dat")));
      if (name.startsWith("esp8266")) {
        assert.equal((await con.run("=io, file.open('nope.txt')")).split("\r\n")[1], "nil\tnil");
        await con.run("file.open('t.txt', 'w') file.writeline('one') file.write('two') file.close()");
        assert.equal((await con.run("=file.getcontents('t.txt')")).split("\r\n").slice(1, 3).join("|"), "one|two");
        assert.equal((await con.run("=file.stat('t.txt').size")).split("\r\n")[1], "7");
        assert.match(await con.run("file.write('x')"), /Lua error: \topen a file first/);
      } else {
        assert.equal((await con.run("=file.open, io.type(io.open('nope.txt')), (select(2, io.open('nope.txt')))")).split("\r\n")[1], "nil\tnil\tnope.txt: No such file or directory");
        assert.equal((await con.run("f = io.open('t.txt', 'w') f:write('one\\n', 2) f:close() f = io.open('t.txt') print(f:read('l'), f:read('n')) f:close()")).split("\r\n")[1], "one\t2");
      }
    });

    test("node.compile writes bytecode that require and dofile find", async () => {
      await putFile(con, "mod.lua", "calls = (calls or 0) + 1\nreturn { answer = 42 }");
      assert.equal(await con.run("node.compile('mod.lua') file.remove('mod.lua')"), "node.compile('mod.lua') file.remove('mod.lua')\r\n> ");
      assert.equal(readFileSync(join(board.dir, "mod.lc")).subarray(0, 4).toString("latin1"), "\x1bLua");
      assert.equal((await con.run("=require('mod').answer, require('mod').answer, calls")).split("\r\n")[1], "42\t42\t1");
      assert.equal((await con.run("=dofile('mod.lc').answer, calls")).split("\r\n")[1], "42\t2");
      assert.match(await con.run("node.compile('mod.txt')"), /Lua error: \tnot a \.lua file/);
      assert.match(await con.run("require('absent')"), /Lua error: \t.*module 'absent' not found/);
      assert.match(await con.run("dofile('absent.lua')"), /Lua error: \t.*cannot open absent\.lua/);
    });

    test("uart.write is raw, node.input feeds the interpreter, node.heap is the emulated heap", async () => {
      assert.equal(await con.run("uart.write(0, 'a\\n', 66) print('')"), "uart.write(0, 'a\\n', 66) print('')\r\na\nB\r\n> ");
      con.write("node.input('print(\"via input\")\\n')\n");
      await con.until((o) => (o.endsWith("via input\r\n> ") ? true : undefined));
      const heap = Number((await con.run("=node.heap()")).split("\r\n")[1]);
      assert.ok(heap > 0 && heap < BOARDS[name].memory.budget, `node.heap() ${heap}`);
      assert.equal((await con.run("=encoder")).split("\r\n")[1], "nil"); // not in the default builds
    });

    test("node.restart gives a fresh Lua state that runs init.lua; the files stay", async () => {
      await putFile(con, "init.lua", 'print("init ran", leftover, node.heap() > 0)');
      await con.run("leftover = 'old state'");
      const restart = con.run("node.restart()");
      assert.equal(await restart, "node.restart()\r\n> ");
      const boot = await con.until((o) => {
        const i = o.lastIndexOf("node.restart()");
        const after = o.slice(i);
        return /init ran[^\n]*\r\n> $/.test(after) ? after : undefined;
      });
      assert.match(boot, /\r\nNodeMCU .* powered by Lua 5\.\d\.\d .*\r\ninit ran\tnil\ttrue\r\n> $/);
      assert.equal((await con.run("=file.exists('init.lua'), file.exists('mod.lc'), leftover")).split("\r\n")[1], "true\ttrue\tnil");
      await con.run("file.remove('init.lua')");
    });

    test("using more heap than the board has reboots it with a PANIC line", async () => {
      con.write("hoard = {} for i = 1, 20000 do hoard[i] = string.rep('z', 30) .. i end\n");
      const out = await con.until((o) => {
        const at = o.lastIndexOf("hoard = {}");
        return at >= 0 && /NodeMCU .*\r\ncannot open init\.lua: .*\r\n> $/.test(o.slice(at)) ? o.slice(at) : undefined;
      });
      assert.match(out, /\r\n> PANIC: unprotected error in call to Lua API \(not enough memory\)\r\n/);
      assert.equal((await con.run("=hoard")).split("\r\n")[1], "nil");
    });
  });
}

test("the optional encoder module (firmwareModules)", async () => {
  const board = await startBoard("esp32-nodemcu", { firmwareModules: ["encoder"] });
  const con = await connect(board.port);
  try {
    const line = (await con.run("=encoder.toHex('\\0\\255a'), encoder.fromHex('00FF61') == '\\0\\255a', encoder.toBase64('ab'), encoder.fromBase64('YWJj')")).split("\r\n")[1];
    assert.equal(line, "00ff61\ttrue\tYWI=\tabc");
    assert.match(await con.run("encoder.fromHex('abc')"), /Lua error: \tInvalid hex string/);
    assert.match((await con.run("=node.info('build_config').modules")).split("\r\n")[1], /\bencoder\b/);
  } finally {
    con.close();
    await board.stop();
  }
});

describe("console board files", () => {
  test("a blank board has no files and no init.lua; a board's files outlive it in its directory", async () => {
    const dir = join(dirs, "persist");
    const first = await startBoard("esp8266-nodemcu", { dir });
    const c1 = await connect(first.port);
    assert.equal(await c1.run("for k in pairs(file.list()) do print(k) end print('end')"), "for k in pairs(file.list()) do print(k) end print('end')\r\nend\r\n> ");
    await c1.run(`f = ${OPEN}("keep.txt", "w+") f:write("kept") f:close()`);
    c1.close();
    await first.stop();
    const second = await startBoard("esp8266-nodemcu", { dir });
    const c2 = await connect(second.port);
    assert.equal((await c2.run(`f = ${OPEN}("keep.txt") print(f:read()) f:close()`)).split("\r\n")[1], "kept");
    c2.close();
    await second.stop();
  });
});

/** A tiny library stand-in and an app that reports what require gave it. */
const TINY_LIB = "local M = {}\nfunction M.connect() end\nreturn M\n";
const appPrinting = (word) => `print("${word} " .. type(require("nats_mcu").connect))\n`;

describe("flashNodeMcu", () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.stop());

  test("flashes the built library and an app to a blank esp32-nodemcu; the app connects to nats-server", async () => {
    const board = await startBoard("esp32-nodemcu");
    try {
      const app = `${ONIP}\nprint("connected " .. type(require("nats_mcu").connect))\nonip(function()\n  local nc = require("nats_mcu").connect({ servers = "nats://127.0.0.1:${server.port}", name = "flash-test" })\n  nc:onStatus(function(ev, d) print("status " .. ev .. " " .. tostring(d or "")) end)\nend)\n`;
      const progress = [];
      const seen = [];
      const r = await flashNodeMcu({
        port: board.url, board: BOARDS["esp32-nodemcu"], boardName: "esp32-nodemcu",
        files: [
          { name: "nats_mcu.lua", data: readFileSync(libOf("esp32-nodemcu")) },
          { name: "app.lua", data: app },
          { name: "config.lua", data: "return { boardId = \"b1\" }\n" },
          { name: "init.lua", data: initLua("app", { delayMs: 100 }) },
        ],
        compile: ["nats_mcu.lua", "app.lua", "config.lua"],
        connectedPattern: /^status connect\b/, failedPattern: /^status close\b/, timeoutMs: 15000,
        onProgress: (sent, total) => progress.push([sent, total]), onLine: (l) => seen.push(l),
      });
      assert.ok(r.lines.includes("connected function"), r.lines.join("\n"));
      assert.deepEqual(r.lines, seen);
      assert.ok(r.heapFree > 0 && r.heapFree < BOARDS["esp32-nodemcu"].memory.budget, `heapFree ${r.heapFree}`);
      const total = progress.at(-1)[1];
      assert.deepEqual(progress.at(-1), [total, total]);
      assert.ok(progress.every(([s], i) => i === 0 || s >= progress[i - 1][0]));
      assert.deepEqual(readdirSync(board.dir).sort(), ["app.lc", "config.lc", "init.lua", "nats_mcu.lc"]);
    } finally {
      await board.stop();
    }
  });

  test("on esp8266-nodemcu the built library does not fit in the heap: compiling it fails with the board's message", async () => {
    const board = await startBoard("esp8266-nodemcu");
    try {
      await assert.rejects(flashNodeMcu({
        port: board.url, files: [
          { name: "nats_mcu.lua", data: readFileSync(libOf("esp8266-nodemcu")) },
          { name: "app.lua", data: appPrinting("connected") },
          { name: "init.lua", data: initLua("app", { delayMs: 100 }) },
        ],
        compile: ["nats_mcu.lua", "app.lua"], connectedPattern: /^connected function/, timeoutMs: 5000,
      }), /compiling nats_mcu\.lua failed: not enough memory/);
    } finally {
      await board.stop();
    }
  });

  test("a reflash replaces the previous files (esp8266-nodemcu, lua5.1)", async () => {
    const board = await startBoard("esp8266-nodemcu");
    try {
      const base = { port: board.url, connectedPattern: /^connected function|^again function/, timeoutMs: 8000 };
      const first = await flashNodeMcu({
        ...base,
        files: [{ name: "nats_mcu.lua", data: TINY_LIB }, { name: "app.lua", data: appPrinting("connected") }, { name: "init.lua", data: initLua("app", { delayMs: 50 }) }],
        compile: ["nats_mcu.lua", "app.lua"],
      });
      assert.ok(first.lines.includes("connected function"));
      assert.deepEqual(readdirSync(board.dir).sort(), ["app.lc", "init.lua", "nats_mcu.lc"]);
      // the running app's init.lua is removed and the board restarted before the upload; the stale app.lc goes
      const second = await flashNodeMcu({
        ...base,
        files: [{ name: "app.lua", data: appPrinting("again") }, { name: "init.lua", data: initLua("app", { delayMs: 50 }) }],
      });
      assert.ok(second.lines.includes("again function"), second.lines.join("\n"));
      assert.ok(!second.lines.includes("connected function"));
      assert.deepEqual(readdirSync(board.dir).sort(), ["app.lua", "init.lua", "nats_mcu.lc"]);
    } finally {
      await board.stop();
    }
  });

  test("a board that prints an error after the restart fails the flash with what it printed", async () => {
    const board = await startBoard("esp32-nodemcu");
    try {
      await assert.rejects(flashNodeMcu({
        port: board.url, files: [{ name: "app.lua", data: "error('no config')\n" }, { name: "init.lua", data: initLua("app", { delayMs: 50 }) }],
        connectedPattern: /^connected/, timeoutMs: 5000,
      }), (e) => /the board reported an error after restart/.test(e.message) && /no config/.test(e.message));
    } finally {
      await board.stop();
    }
  });

  test("a console that is not NodeMCU's Lua (Espruino-like) gives the wrong-runtime error", async () => {
    const fake = net.createServer((sock) => {
      let line = "";
      sock.on("data", (d) => {
        for (const ch of d.toString("latin1")) {
          if (ch !== "\n") {
            line += ch;
            sock.write(ch);
            continue;
          }
          sock.write(line.includes("node") ? "\r\nUncaught ReferenceError: \"node\" is not defined\r\n at line 1 col 7\r\n>" : "\r\n>");
          line = "";
        }
      });
    });
    await new Promise((r) => fake.listen(0, "127.0.0.1", r));
    const port = `tcp://127.0.0.1:${fake.address().port}`;
    try {
      await assert.rejects(flashNodeMcu({ port, files: [{ name: "a.lua", data: "x=1" }], connectedPattern: /x/, answerMs: 1500 }),
        (e) => e.message.startsWith(`${port} answers, but not as a NodeMCU Lua console`) && /Uncaught ReferenceError/.test(e.message));
    } finally {
      fake.close();
    }
  });

  test("a silent port gives the no-answer error; a closed port the port error", async () => {
    const silent = await silentPort();
    const quiet = silent.url;
    try {
      await assert.rejects(flashNodeMcu({ port: quiet, files: [{ name: "a.lua", data: "x=1" }], connectedPattern: /x/, answerMs: 800 }),
        new RegExp(`^Error: no answer from ${quiet}`));
    } finally {
      silent.close();
    }
    const gone = await closedPort();
    await assert.rejects(flashNodeMcu({ port: gone, files: [{ name: "a.lua", data: "x=1" }], connectedPattern: /x/ }),
      { message: `cannot open ${gone}: connection refused (nothing listens there)` });
  });

  test("an upload that loses a byte on the way fails verification, naming the file", async () => {
    const board = await startBoard("esp8266-nodemcu");
    // drops one byte inside the first data line sent to the board
    const proxy = await startByteDroppingProxy(board.port, '__nmf:write("', 20);
    try {
      await assert.rejects(flashNodeMcu({
        port: `tcp://127.0.0.1:${proxy.port}`,
        files: [{ name: "app.lua", data: "print('a fairly long line of Lua source to corrupt')\n" }], connectedPattern: /x/,
      }), /app\.lua did not verify after upload: the board has 52 bytes, Adler-32 \d+\/\d+; 53 bytes were sent/);
      assert.ok(proxy.dropped());
    } finally {
      proxy.close();
      await board.stop();
    }
  });
});
