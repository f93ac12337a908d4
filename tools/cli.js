#!/usr/bin/env node
// The nats-mcu command line.
import { Command } from "commander";
import { build, sizeTable } from "./build/build.js";

const program = new Command();
program.name("nats-mcu").description("NATS for Espruino and NodeMCU boards: build the library, simulate boards");

program
  .command("build")
  .description("build the library for the named boards (all boards in boards.json when none are named)")
  .argument("[boards...]", "board names from boards.json")
  .option("--profile <profile>", "pub, pubsub or full (default: every profile; the board's own is also in build/<board>/)")
  .action(async (boards, opts) => {
    const manifests = await build(boards, { profile: opts.profile });
    console.log(sizeTable(manifests));
  });

const collect = (value, list) => [...list, value];

program
  .command("sim")
  .description("boot a fleet of simulated boards running the metrics app against nats-server and count what arrives")
  .option("-b, --board <name[:count]>", "a board from boards.json, count times (repeatable; default: every board once)", collect, [])
  .option("-f, --fleet <file>", "fleet file: { boards: [{ board, count, app?, intervalMs?, profile?, payloadBytes?, options? }], durationS?, seed? }")
  .option("-d, --duration <seconds>", "how long the boards publish (default: the fleet file's durationS, else 10)")
  .option("-s, --server <url>", "use this nats-server instead of an embedded one (also NATS_URL)")
  .option("-c, --cluster <n>", "embed an N-node routed nats-server cluster and spread the boards over it")
  .option("--fault <kind@s[:duration][,key=value]>", "a fault at s seconds: partition, latency (ms=), bandwidth (bytesPerSec=), fragment (bytes=), restart, kill (node=), ldm (node=), stall, wifi (board Wi-Fi drops), reset (board reboots); boards=a+b* picks boards (repeatable)", collect, [])
  .option("--scenario <file>", "a scenario: fleet, cluster, faults with times and expectations (sim/scenarios/*.json)")
  .option("--report <file>", "write the JSON report: counters per board and in total, each fault with each board's recovery time, the verdict")
  .option("--junit <file>", "write the verdict as JUnit XML")
  .option("-i, --interval <ms>", "metrics publishing interval (default 1000; a fleet entry's intervalMs wins)")
  .option("--seed <n>", "seeds every board (default: the fleet file's seed, else 1)")
  .option("-q, --quiet", "print only the summary (no live view)")
  .option("-v, --verbose", "also print every board's output and client events")
  .option("--console <name>", "instead of the metrics fleet: a blank board serving its console on a loopback port, to flash with `nats-mcu flash` (repeatable)", collect, [])
  .option("--console-port <port>", "the first console's port (the next ones count up; default: free ports)", "0")
  .action(async (o, cmd) => {
    if (o.console.length > 0) {
      await serveConsoles(o, cmd.getOptionValueSource("duration") === "cli" ? Number(o.duration) : Infinity);
      return;
    }
    const { simRun } = await import("../sim/sim-command.js");
    process.exitCode = await simRun(o);
  });

/** `sim --console`: blank boards with consoles until --duration ends (only when given) or Ctrl-C. */
async function serveConsoles(o, seconds) {
  const { startConsoleBoards } = await import("../sim/consoles.js");
  const firstPort = Number(o.consolePort);
  if (!(Number.isInteger(firstPort) && firstPort >= 0 && firstPort < 65536)) throw new Error(`--console-port must be a TCP port, got ${o.consolePort}`);
  const run = await startConsoleBoards({
    boards: o.console,
    server: o.server ?? process.env.NATS_URL,
    firstPort,
    onLog: o.quiet ? () => {} : (id, line) => console.log(`  ${id}> ${line}`),
  });
  console.log(`nats-server: ${run.serverUrl}`);
  for (const c of run.consoles) {
    console.log(`${c.id} (${c.runtime}, blank) console on ${c.url}\n  flash it: npx nats-mcu flash ${c.board} --port ${c.url} --server ${run.serverUrl} --id ${c.id}`);
  }
  const heard = new Set();
  const watch = setInterval(() => {
    for (const id of run.peer.heard()) {
      if (!heard.has(id)) {
        heard.add(id);
        console.log(`metrics arriving from ${id}`);
      }
    }
  }, 250);
  await new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
    if (Number.isFinite(seconds)) setTimeout(resolve, seconds * 1000);
  });
  clearInterval(watch);
  await run.stop();
  for (const id of heard) console.log(`${id}: ${run.peer.received(id)} metrics received`);
}

program
  .command("flash")
  .description("build, check the budgets, upload the library and an app to a board, reset it and wait until it connects")
  .argument("<board>", "a board from boards.json")
  .requiredOption("-p, --port <port>", "serial device (/dev/ttyUSB0) or tcp://host:port (Espruino telnet console, simulated board console)")
  .option("-a, --app <app>", "the board app: metrics or probe", "metrics")
  .option("--profile <profile>", "pub, pubsub or full (default: the smallest that serves the app)")
  .option("-s, --server <url>", "the broker the board connects to, nats://host:port (also NATS_URL)")
  .option("--id <id>", "the board id (subjects metrics.<id>.*; default: the board name)")
  .option("--ssid <ssid>", "Wi-Fi network the board joins (omit for a board that is online by itself)")
  .option("--password <password>", "Wi-Fi password")
  .option("-i, --interval <ms>", "metrics publishing interval")
  .option("-c, --config <file>", "JSON file with server, id, ssid, password, interval (default: ./nats-mcu.config.json when present; keep it out of git)")
  .option("-t, --timeout <seconds>", "how long to wait for the board to connect after the reset", "30")
  .action(async (boardName, o) => {
    const { flash } = await import("./flash/flash.js");
    const { uploadProgress } = await import("./flash/progress.js");
    const progress = uploadProgress();
    try {
      const r = await flash({
        ...o,
        board: boardName,
        timeoutMs: Number(o.timeout) * 1000,
        onStep: (text) => console.log(text),
        onProgress: (sent, total) => progress.update(sent, total),
        onLine: (line) => {
          progress.stop();
          console.log(`  ${boardName}> ${line}`);
        },
      });
      progress.stop();
      console.log(`${boardName} (${r.id}) connected; ${r.free} ${r.unit} free${r.total === undefined ? "" : ` of ${r.total}`} after boot`);
    } finally {
      progress.stop();
    }
  });

program
  .command("package")
  .description("build every board, then the packages in build/packages: Espruino modules/ folders, a LuaRocks rockspec with its archive, the npm tarball")
  .action(async () => {
    const { makePackages } = await import("./package/package.js");
    const p = await makePackages();
    for (const file of p.espruino) console.log(`espruino  ${file}`);
    console.log(`luarocks  ${p.luarocks.rockspec}`);
    console.log(`npm       ${p.npm.file} (${p.npm.files.length} files, ${p.npm.size} B)`);
  });

program.parseAsync().catch((e) => {
  console.error(`nats-mcu: ${e.message}`);
  process.exit(1);
});
