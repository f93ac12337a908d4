// Issue 10's end to end: blank simulated boards of both runtimes, each behind its console on a loopback
// port (sim/consoles.js, what `nats-mcu sim --console` serves), are flashed by the `nats-mcu flash` CLI
// through the uploader a real port uses (tcp:// is just another port), reset, and publish their metrics
// to a peer on a real nats-server. A second flash replaces the first.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startConsoleBoards } from "../../sim/consoles.js";
import { ROOT } from "../../tools/boards.js";

const CLI = join(ROOT, "tools", "cli.js");

/** Runs the CLI to its end: { code, out, err }. */
function cli(args, timeoutMs = 90000) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NATS_URL: "" } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`nats-mcu ${args.join(" ")} did not end within ${timeoutMs} ms\n${out}\n${err}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

async function until(what, check, ms = 15000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what} within ${ms} ms`);
}

const BOARDS = ["esp32-espruino", "esp8266-espruino", "esp32-nodemcu"];

describe("nats-mcu flash onto blank simulated boards", () => {
  let run;
  before(async () => {
    run = await startConsoleBoards({ boards: BOARDS });
  });
  after(async () => {
    await run?.stop();
  });

  for (const [i, name] of BOARDS.entries()) {
    test(`${name}: blank → flash → reset → metrics reach the peer; a second flash replaces the first`, async () => {
      const c = run.consoles[i];
      assert.equal(run.peer.received(`${c.id}-a`), 0, "nothing before the flash");
      const first = await cli(["flash", name, "--port", c.url, "--server", run.serverUrl, "--id", `${c.id}-a`, "--interval", "200"]);
      console.log(`# ${name}, first flash:\n${(first.out + first.err).replace(/^/gm, "#   ")}`);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /> status connect nats:\/\//, "the board's console line on connect is shown");
      const free = /connected; (\d+) (JsVars|bytes of Lua heap) free/.exec(first.out);
      assert.ok(free && Number(free[1]) > 0, `free memory after boot reported: ${first.out}`);
      assert.match(first.err, /upload 100%/, "progress reached 100 %");
      await until(`${c.id}-a's metrics arrive`, () => run.peer.received(`${c.id}-a`) >= 2);

      const second = await cli(["flash", name, "--port", c.url, "--server", run.serverUrl, "--id", `${c.id}-b`, "--interval", "200"]);
      assert.equal(second.code, 0, second.err);
      await until(`${c.id}-b's metrics arrive`, () => run.peer.received(`${c.id}-b`) >= 2);
      await run.peer.flush();
      const before = run.peer.received(`${c.id}-a`);
      await new Promise((r) => setTimeout(r, 800));
      await run.peer.flush();
      assert.equal(run.peer.received(`${c.id}-a`), before, "the first app no longer runs after the second flash");
    });
  }

  test("the wrong runtime on the port, a port nobody listens on, a missing --port, a bad --server: clear errors, exit 1", async () => {
    const espruino = run.consoles[0];
    const nodemcu = run.consoles[2];
    const luaOnEspruino = await cli(["flash", "esp32-nodemcu", "--port", espruino.url, "--server", run.serverUrl, "--timeout", "5"]);
    assert.equal(luaOnEspruino.code, 1);
    assert.match(luaOnEspruino.err, /not as a NodeMCU Lua console.*looks like Espruino/s);
    const jsOnNodeMcu = await cli(["flash", "esp32-espruino", "--port", nodemcu.url, "--server", run.serverUrl, "--timeout", "5"]);
    assert.equal(jsOnNodeMcu.code, 1);
    assert.match(jsOnNodeMcu.err, /runs NodeMCU, not Espruino/);
    const refused = await cli(["flash", "esp32-nodemcu", "--port", "tcp://127.0.0.1:1", "--server", run.serverUrl]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /cannot open tcp:\/\/127\.0\.0\.1:1: connection refused/);
    const noPort = await cli(["flash", "esp32-nodemcu", "--server", run.serverUrl]);
    assert.equal(noPort.code, 1);
    assert.match(noPort.err, /--port/);
    const badServer = await cli(["flash", "esp32-nodemcu", "--port", nodemcu.url, "--server", "http://x"]);
    assert.equal(badServer.code, 1);
    assert.match(badServer.err, /broker URL: --server nats:\/\/host:port/);
  });
});
