// Boots a fleet of simulated boards running one built board app: Espruino boards in this process
// (sim/espruino), NodeMCU boards in Lua host processes (sim/nodemcu) of at most LUA_BOARDS_PER_PROCESS
// boards each, per Lua version, so a large fleet spreads over the cores. Each board
// gets the app's config (board id, server URL, …) the way its runtime reads it: Storage file
// "<app>.json" on Espruino, require("config") on NodeMCU.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadBoards } from "../tools/boards.js";
import { boardDir, ensureBuilt } from "./artifacts.js";
import { bootEspruinoBoard } from "./espruino/board.js";
import { startNodeMcuHost } from "./nodemcu/launch.js";
import { APP_PROFILES } from "../tools/build/profiles.js";

const LUA_BOARDS_PER_PROCESS = 100;

/** Instance ids: the board name, with -2, -3… when the same board appears again. */
export function instanceIds(names) {
  const seen = new Map();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}-${n}`;
  });
}

/**
 * Boots one board per entry of `specs` ({ name, id, config, app?, profile? }): `config` is the board's app
 * config; `app` (default: the fleet's) and `profile` (default: the smallest that serves the app) pick the
 * built files. Returns { boards: [{ id, name, runtime, logs, crashes, faults }], accessPoint(id, up),
 * resetPin(id, down), stop() }: the board faults (the board's access point goes away and comes back; its
 * reset pin is held, then released: it boots from scratch, its Storage / files kept, as a real reset).
 */
export async function bootFleet({ app, specs, seed = 1, onEvent = () => {} }) {
  const catalogue = loadBoards();
  await ensureBuilt(specs.map((s) => s.name));
  const boards = [];
  const espruino = new Map(); // id → { handle, boot(storage), storage, apDown, held }
  const hosts = new Map(); // Lua version → groups of boards, one host process each
  const groupOf = new Map(); // NodeMCU board id → its group

  for (const [i, spec] of specs.entries()) {
    const board = catalogue[spec.name];
    const state = { id: spec.id, name: spec.name, runtime: board.runtime, logs: [], crashes: [], faults: [], reboots: [] };
    boards.push(state);
    const dir = boardDir(spec.name);
    const boardApp = spec.app ?? app;
    // the library of the given profile, else of the smallest that serves the app (tools/build/profiles.js)
    const profile = spec.profile ?? APP_PROFILES[boardApp] ?? board.profile;
    const libDir = join(dir, profile);
    if (board.runtime === "espruino") {
      const lib = readFileSync(join(libDir, "nats-mcu.js"), "latin1");
      // Uploaded as the espruino CLI uploads a module (Modules.addCached) when that fits the board's
      // JsVars, else saved to Storage and required from there, as on a deployed ESP8266 (espruino.md §5).
      const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
      const entry = manifest.files.find((f) => f.name === `${profile}/nats-mcu.js`);
      const inStorage = entry?.onBoard?.cached.fits === false;
      const app = readFileSync(join(dir, `${boardApp}.js`), "latin1");
      // An ESP8266 is deployed as `nats-mcu flash` leaves it: the app saved as .bootcde and run from flash at
      // power-on (its function bodies stay in flash, espruino.md §5), next to the library in Storage.
      const boot = (storage) => {
        const handle = bootEspruinoBoard({
          id: spec.id,
          boardName: spec.name,
          board,
          modules: inStorage ? {} : { "nats-mcu": lib },
          app: inStorage ? "" : app,
          storage,
          seed: seed + i,
          onLog: (line) => {
            state.logs.push(line);
            onEvent(state, "print", line);
          },
          onCrash: (message) => {
            state.crashes.push(message);
            onEvent(state, "crash", message);
          },
        });
        if (inStorage) handle.runBootCode({ powerOn: true });
        return handle;
      };
      const storage = { [`${boardApp}.json`]: JSON.stringify(spec.config), ...(inStorage ? { "nats-mcu": lib, ".bootcde": app } : {}) };
      espruino.set(spec.id, { handle: undefined, boot, storage, apDown: false, held: false });
    } else {
      const lua = `lua${board.lua}`;
      let group = hosts.get(lua)?.at(-1);
      if (group === undefined || group.length >= LUA_BOARDS_PER_PROCESS) {
        group = [];
        hosts.set(lua, [...(hosts.get(lua) ?? []), group]);
      }
      groupOf.set(spec.id, group);
      group.push({
        state,
        spec: {
          id: spec.id,
          chip: board.chip,
          heap_budget: board.memory.budget,
          recv_chunk_max: board.socket.recvChunkBytes,
          send_max: board.socket.sendChunkBytes,
          numbers: board.numbers,
          seed: seed + i,
          modules: { nats_mcu: join(libDir, "nats_mcu.lua") },
          app: join(dir, `${boardApp}.lua`),
          // A deployed ESP8266 keeps the library and the app in LFS (nodemcu.md §7–8).
          app_lfs: true,
          config: spec.config,
        },
      });
    }
  }

  // The Lua hosts boot their boards in their own processes while this one boots the Espruino boards.
  const groups = [...hosts].flatMap(([lua, lists]) => lists.map((list) => [lua, list]));
  const starting = Promise.all(groups.map(async ([lua, list]) => {
    // A heap walk (sim/nodemcu/heap.lua) costs about a millisecond per board: one process walks at most
    // ~200 boards a second, so a board's walks are spaced by 5 ms per board in its process (1 s for 200).
    for (const b of list) b.spec.heap_check_ms = Math.max(5, 5 * list.length);
    const byId = new Map(list.map((b) => [b.state.id, b.state]));
    const host = await startNodeMcuHost({ lua, boards: list.map((b) => b.spec) });
    host.on("*", (e) => {
      const state = byId.get(e.board);
      if (state === undefined) return;
      if (e.kind === "print") state.logs.push(e.detail);
      else if (e.kind === "fault") state.faults.push(e.detail);
      else if (e.kind === "panic" || e.kind === "crash") state.crashes.push(e.detail);
      else if (e.kind === "reboot") state.reboots.push(e.detail);
      onEvent(state, e.kind, e.detail);
    });
    return [list, host];
  }));
  let booted = 0;
  for (const e of espruino.values()) {
    e.handle = e.boot(e.storage);
    // booted boards connect and the Lua hosts' output is read while the rest boot
    if (++booted % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const luaHosts = new Map(await starting); // group → host
  const running = [...luaHosts.values()];
  const stateOf = new Map(boards.map((s) => [s.id, s]));

  return {
    boards,
    /** The board's access point goes away (up = false) or comes back. */
    accessPoint(id, up) {
      const e = espruino.get(id);
      if (e === undefined) return luaHosts.get(groupOf.get(id)).command(`wifi ${id} ${up ? "up" : "down"}`);
      e.apDown = !up;
      if (!e.held) e.handle.accessPoint(up);
    },
    /** The board's reset pin is held (down: the board is off, its RAM gone) or released (it boots again). */
    async resetPin(id, down) {
      const e = espruino.get(id);
      if (e === undefined) return luaHosts.get(groupOf.get(id)).command(`reset ${id} ${down ? "down" : "up"}`);
      const state = stateOf.get(id);
      if (down && !e.held) {
        e.held = true;
        state.reboots.push("external reset pin");
        onEvent(state, "reboot", "external reset pin");
        e.storage = e.handle.storageFiles();
        await e.handle.stop();
      } else if (!down && e.held) {
        e.held = false;
        onEvent(state, "boot", "reason=external");
        e.handle = e.boot(e.storage);
        if (e.apDown) e.handle.accessPoint(false);
      }
    },
    async stop() {
      await Promise.all([...[...espruino.values()].map((e) => e.handle.stop()), ...running.map((h) => h.stop())]);
    },
  };
}
