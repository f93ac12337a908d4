// A blank emulated Espruino board behind its telnet console, the way an ESP32 serves it on port 23 (and the
// Linux build with --telnet): raw bytes both ways, no telnet negotiation (libs/network/telnet/jswrap_telnet.c).
// The console's byte behaviour is repl.js; this file owns the board's life: power-on, reset(), load(),
// load(file), E.reboot() (each one a fresh bootEspruinoBoard, RAM cleared, the same Storage), and the console
// device (a telnet client takes the console from Serial1; a second client replaces the first).
import net from "node:net";
import { bootEspruinoBoard } from "./board.js";
import { createLineDiscipline } from "./repl.js";
import { createStorage } from "./storage.js";

const VERSION = "2v29";
const BOARD_IDS = { esp32: "ESP32", esp8266: "ESP8266_4MB" };

// jsiSemiInit's banner after reset() and load(file) (src/jsinteractive.c; "\e[?7l" on every port but Linux;
// the donation note on boards that are not Espruino's own; ESP8266 adds jshPrintBanner's flash line).
function banner(chip, hasErrorFile) {
  return "\x1B[?7l\n"
    + " ____                 _ \n"
    + "|  __|___ ___ ___ _ _|_|___ ___ \n"
    + "|  __|_ -| . |  _| | | |   | . |\n"
    + "|____|___|  _|_| |___|_|_|_|___|\n"
    + "         |_| espruino.com\n"
    + ` ${VERSION} (c) 2025 G.Williams\n`
    + "\n"
    + "Espruino is Open Source. Our work is supported\n"
    + "only by sales of official boards and donations:\n"
    + "http://espruino.com/Donate\n"
    + (chip === "esp8266" ? "Flash map 4MB:1024/1024, manuf 0xef chip 0x4016\n" : "")
    + (hasErrorFile ? "\nAn Uncaught Error has been saved to Storage. Please type:\n  require('Storage').read('ERROR') to view it\n  require('Storage').erase('ERROR') to clear it\n" : "")
    + "\n";
}

/**
 * Starts a blank console board. Resolves once it listens.
 * @param {object} options
 * @param {string} [options.id] instance id used in messages
 * @param {string} options.boardName key in boards.json
 * @param {object} options.board that boards.json entry (runtime "espruino")
 * @param {string} [options.host] listen address (default loopback)
 * @param {number} [options.port] TCP port (0: a free one)
 * @param {number} [options.seed] seeds every random choice of each boot
 * @param {Record<string, string>} [options.storage] Storage files at power-on (byte strings); default none
 * @param {(line: string) => void} [options.onLog] each line the running code prints
 * @param {"saved" | "off"} [options.wifi] Wi-Fi at power-on (see bootEspruinoBoard); soft resets keep it joined
 * @returns {Promise<{ port: number, stop(): Promise<void>, board(): object, storageFiles(): Record<string, string>,
 *   onLine(fn: (line: string) => void): () => void }>}
 */
export async function startEspruinoConsoleBoard({ id, boardName, board, host = "127.0.0.1", port = 0, seed = 1, storage, onLog, wifi = "saved" }) {
  if (board?.runtime !== "espruino") throw new Error(`${id ?? boardName}: board ${boardName} is not an Espruino board`);
  const chip = board.chip === "esp8266" ? "esp8266" : "esp32";
  const store = createStorage(storage ?? {});
  const lineListeners = new Set();
  const stopping = [];
  let client;
  let current;
  let todos = [];
  let idleQueued = false;
  let closed = false;

  const write = (bytes) => {
    if (client && !client.destroyed) client.write(Buffer.from(bytes, "latin1"));
  };
  const repl = createLineDiscipline({
    write,
    execute: (line) => current.repl(line),
    identity: `Espruino ${VERSION} ${BOARD_IDS[chip]}`,
  });

  function scheduleIdle() {
    if (idleQueued || closed) return;
    idleQueued = true;
    setImmediate(() => {
      idleQueued = false;
      loopTail();
    });
  }

  // jsiIdle's TODOs, then jsiLoop's Ctrl-C and prompt
  function loopTail() {
    if (closed) return;
    while (todos.length > 0) {
      const { kind, file } = todos.shift();
      restart(kind, file);
    }
    repl.afterLoop();
  }

  function boot(wifiMode) {
    if (current) stopping.push(current.stop());
    current = bootEspruinoBoard({
      id, boardName, board, seed, store, wifi: wifiMode, crashStops: false,
      onLog: (line) => {
        onLog?.(line);
        for (const fn of lineListeners) fn(line);
      },
      onPrint: (text) => {
        repl.print(text);
        scheduleIdle();
      },
      console: {
        todo: (kind, file) => {
          todos.push({ kind, file });
          scheduleIdle();
        },
        echo: (on) => repl.setEcho(on),
        device: () => (client ? "Telnet" : "Serial1"),
      },
    });
    return current;
  }

  // src/jsinteractive.c jsiIdle (JSIS_TODO_RESET / JSIS_TODO_FLASH_LOAD) and E.reboot()
  function restart(kind, file) {
    if (kind === "reboot") {
      client?.destroy(); // the chip resets: the telnet connection goes with it
      client = undefined;
      repl.restart({ echoOn: true });
      boot(wifi).runBootCode({ powerOn: true, echoOn: true });
      return;
    }
    const keepWifi = current?.wifiConnected() ? "connected" : "off";
    const semiInit = kind === "reset" || file !== undefined; // reset() and load(file) go through jsiSemiInit
    repl.restart({ echoOn: semiInit });
    const next = boot(keepWifi);
    next.runBootCode({ isReset: semiInit, echoOn: repl.echo() });
    if (semiInit && repl.echo()) repl.printRaw(banner(chip, store.read("ERROR") !== undefined));
    if (file !== undefined) next.runFile(file, { asLoadedFile: true });
  }

  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const previous = client;
    client = socket;
    previous?.destroy();
    if (!previous && repl.echo()) {
      repl.removeInputLine(); // on Serial1, which nobody watches
      repl.printRaw("<- Serial1\n"); // jsiSetConsoleDevice(EV_TELNET)
      scheduleIdle();
    }
    socket.on("data", (data) => {
      if (client !== socket) return;
      repl.input(data.toString("latin1"));
      loopTail();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      if (client === socket) client = undefined;
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  boot(wifi).runBootCode({ powerOn: true, echoOn: true });

  return {
    port: server.address().port,
    board: () => current,
    storageFiles: () => Object.fromEntries(store.files),
    onLine(fn) {
      lineListeners.add(fn);
      return () => lineListeners.delete(fn);
    },
    async stop() {
      closed = true;
      client?.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
      await Promise.all([...stopping, current.stop()]);
    },
  };
}
