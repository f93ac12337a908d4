// Lua cost per operation, deterministic: instructions counted by valgrind's callgrind for one publish and
// one delivery through the nats-mcu Lua test build (pubsub profile) over a LuaSocket transport to
// nats-server, next to a bare LuaSocket floor (bench/lua/cost.lua), under lua5.1 and lua5.3. A cost is
// (instructions of a run with N operations - of the same run with 0) / N. Deliveries are sent by a peer
// on its own socket in this process, so the Lua process counts only its own work.
import { spawn } from "node:child_process";
import { createConnection } from "node:net";
import { join } from "node:path";
import { ROOT } from "../tools/boards.js";
import { testBuildPath } from "../test/build/build-tests.js";
import { findOnPath } from "../sim/server/find-on-path.js";

const SCRIPT = join(ROOT, "bench", "lua", "cost.lua");
const RUN_TIMEOUT_MS = 300_000;

/** Instructions callgrind counted for one run of cost.lua; throws with its output when the run failed. */
function callgrind(lua, args) {
  return new Promise((resolve, reject) => {
    const child = spawn("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", lua, SCRIPT, ...args.map(String)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const m = err.match(/Collected : (\d+)/);
      if (code !== 0 || !m || !out.includes("ok ")) {
        reject(new Error(`${lua} cost.lua ${args.join(" ")} failed (exit ${code}):\n${out}${err.split("\n").filter((l) => !l.startsWith("==")).join("\n")}`));
      } else {
        resolve(Number(m[1]));
      }
    });
  });
}

function payload(i) {
  return `d${String(200000000000000 + i).padStart(15, "0")}`;
}

/**
 * The peer sending deliveries, on a raw socket: subscribed to bench.ready, it answers "<inbox> <n>"
 * with n messages of 16 distinct bytes to the inbox, then "end".
 */
async function deliveryPeer(port) {
  const sock = createConnection({ host: "127.0.0.1", port });
  sock.setNoDelay(true);
  let buf = "";
  let ponged = false;
  sock.on("data", (d) => {
    buf += d.toString("latin1");
    for (;;) {
      const m = buf.match(/^MSG bench\.ready \d+ (\d+)\r\n/);
      if (m === null) {
        const line = buf.indexOf("\r\n");
        if (line >= 0 && !buf.startsWith("MSG ")) {
          if (buf.startsWith("PONG\r\n")) ponged = true;
          buf = buf.slice(line + 2);
          continue;
        }
        return;
      }
      const size = Number(m[1]);
      if (buf.length < m[0].length + size + 2) return;
      const [inbox, n] = buf.slice(m[0].length, m[0].length + size).split(" ");
      buf = buf.slice(m[0].length + size + 2);
      const parts = [];
      for (let i = 1; i <= Number(n); i++) parts.push(`PUB ${inbox} 16\r\n${payload(i)}\r\n`);
      parts.push(`PUB ${inbox} 3\r\nend\r\n`);
      sock.write(parts.join(""), "latin1");
    }
  });
  await new Promise((resolve, reject) => {
    sock.once("connect", resolve);
    sock.once("error", reject);
  });
  sock.write('CONNECT {"verbose":false,"pedantic":false}\r\nSUB bench.ready 1\r\nPING\r\n');
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the delivery peer got no PONG from nats-server")), 5000);
    const check = () => {
      if (ponged) {
        clearTimeout(timer);
        resolve();
      } else {
        setTimeout(check, 10);
      }
    };
    check();
  });
  return { close: () => sock.destroy() };
}

/**
 * Per Lua version: instructions per publish (one per loop turn, and 10 per turn), per delivery, and the
 * floors. Returns rows { lua, op, natsMcu, floor, ratio, target }.
 */
export async function luaCost({ serverPort, n = 5000, log = () => {} }) {
  for (const tool of ["valgrind", "lua5.1", "lua5.3"]) {
    if (!findOnPath(tool)) throw new Error(`${tool} not found: install it with: apt-get install -y valgrind lua5.1 lua5.3 lua-socket`);
  }
  const build = testBuildPath("nodemcu", "pubsub", "client");
  const peer = await deliveryPeer(serverPort);
  const rows = [];
  try {
    let run = 0;
    const cost = async (lua, client, what, turn = 1) => {
      const args = (ops) => [client, what, build, "127.0.0.1", serverPort, n, ops, `r${run++}`, turn];
      const full = await callgrind(lua, args(n));
      const none = await callgrind(lua, args(0));
      return (full - none) / n;
    };
    for (const lua of ["lua5.1", "lua5.3"]) {
      log(`callgrind ${lua}: ${n} operations per run`);
      const pubFloor = await cost(lua, "raw", "pub");
      const subFloor = await cost(lua, "raw", "sub");
      const one = await cost(lua, "nats-mcu", "pub", 1);
      const burst = await cost(lua, "nats-mcu", "pub", 10);
      const sub = await cost(lua, "nats-mcu", "sub");
      rows.push({ lua, op: "publish, 1 per loop turn", natsMcu: one, floor: pubFloor, ratio: one / pubFloor, target: 2 });
      rows.push({ lua, op: "publish, 10 per loop turn", natsMcu: burst, floor: pubFloor, ratio: burst / pubFloor, target: 2 });
      rows.push({ lua, op: "delivery", natsMcu: sub, floor: subFloor, ratio: sub / subFloor, target: null });
    }
  } finally {
    peer.close();
  }
  return rows;
}
