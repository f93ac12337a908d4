// `nats-mcu sim --console <board>`: blank simulated boards, each serving its runtime's console on a
// loopback TCP port (Espruino: the telnet console; NodeMCU: the Lua console), next to nats-server
// (embedded unless a URL is given) and a peer that reports which boards' metrics arrive. The boards are
// flashed like real ones: `nats-mcu flash <board> --port tcp://127.0.0.1:<port> --server <url>`.
import { loadBoards } from "../tools/boards.js";
import { startEspruinoConsoleBoard } from "./espruino/console.js";
import { instanceIds } from "./fleet.js";
import { startNodeMcuConsoleBoard } from "./nodemcu/console.js";
import { startPeer } from "./peer.js";
import { startServer } from "./server/nats-server.js";

/** Starts the console boards; resolves with { serverUrl, consoles: [{ id, board, runtime, port, url }], peer, stop() }. */
export async function startConsoleBoards({ boards, server, firstPort = 0, seed = 1, onLog = () => {} }) {
  const catalogue = loadBoards();
  const unknown = boards.filter((name) => !(name in catalogue));
  if (unknown.length > 0) throw new Error(`unknown board ${unknown.join(", ")}; boards.json has: ${Object.keys(catalogue).join(", ")}`);
  const embedded = server === undefined ? await startServer() : undefined;
  const serverUrl = server ?? embedded.url;
  const started = [];
  let peer;
  const stop = async () => {
    await Promise.all(started.map((c) => c.stop()));
    await peer?.close();
    await embedded?.stop();
  };
  try {
    peer = await startPeer(serverUrl);
    const ids = instanceIds(boards);
    for (const [i, name] of boards.entries()) {
      const board = catalogue[name];
      const options = { id: ids[i], boardName: name, board, port: firstPort > 0 ? firstPort + i : 0, seed: seed + i, onLog: (line) => onLog(ids[i], line) };
      const c = board.runtime === "espruino" ? await startEspruinoConsoleBoard(options) : await startNodeMcuConsoleBoard(options);
      started.push({ id: ids[i], board: name, runtime: board.runtime, port: c.port, url: `tcp://127.0.0.1:${c.port}`, stop: c.stop });
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { serverUrl, consoles: started.map(({ id, board, runtime, port, url }) => ({ id, board, runtime, port, url })), peer, stop };
}
