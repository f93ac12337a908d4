// A simulated NodeMCU board whose UART Lua console is a loopback TCP port: it starts blank (only the
// files already in `dir`), is flashed like a real board (tools/flash/nodemcu.js speaks to it) and runs
// what it was given at each boot. One emulator process (sim/nodemcu/host.lua) per board; the console
// itself is sim/nodemcu/console.lua, the board's files sim/nodemcu/fs.lua.
//
//   const b = await startNodeMcuConsoleBoard({ id: "esp32-nodemcu-1", boardName: "esp32-nodemcu", board: loadBoards()["esp32-nodemcu"] });
//   // nc 127.0.0.1 b.port  →  "> "
//   await b.stop();
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNodeMcuHost } from "./launch.js";

const READY_MS = 10_000;

/**
 * Starts the board. board: its boards.json entry (runtime "nodemcu"); dir: the directory backing its
 * file system (a temporary one, removed by stop(), when absent); port 0: any free port.
 * firmwareModules: optional C modules the firmware was built with (["encoder"]; none by default, as
 * in both branches' default builds). onLog(line) gets the emulator's report lines ("boot 1 reason=…",
 * "print …", "net …").
 * Resolves with { port, dir, stop() }.
 */
export async function startNodeMcuConsoleBoard({ id, boardName, board, dir, host = "127.0.0.1", port = 0, seed = 1, onLog = () => {}, firmwareModules = [] }) {
  if (board?.runtime !== "nodemcu") throw new Error(`${boardName ?? id}: not a NodeMCU board (runtime ${board?.runtime})`);
  const ownDir = dir === undefined;
  dir = ownDir ? mkdtempSync(join(tmpdir(), "nodemcu-fs-")) : dir;
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
  const emu = startNodeMcuHost({
    lua: `lua${board.lua}`,
    heapReportMs: 0,
    boards: [{
      id,
      chip: board.chip,
      heap_budget: board.memory.budget,
      recv_chunk_max: board.socket.recvChunkBytes,
      send_max: board.socket.sendChunkBytes,
      numbers: board.numbers,
      seed,
      console: { host, port },
      fs: { dir, files },
      firmware_modules: firmwareModules,
    }],
  });
  const off = emu.on("*", (e) => onLog(e.kind === "stdout" || e.kind === "stderr" ? e.detail : `${e.kind} ${e.detail}`));
  const stop = async () => {
    off();
    await emu.stop();
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  let ready;
  try {
    ready = await emu.waitFor({ board: id, kind: "console" }, READY_MS);
  } catch (e) {
    await stop();
    throw new Error(`NodeMCU console board ${id} did not start: ${e.message}`, { cause: e });
  }
  return { port: Number(/port=(\d+)/.exec(ready.detail)[1]), dir, stop };
}
