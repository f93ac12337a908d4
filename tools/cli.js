#!/usr/bin/env node
// The nats-mcu command line.
import { Command } from "commander";
import { build, sizeTable } from "./build/build.js";
import { simulate, summaryTable } from "../sim/simulate.js";

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
  .description("boot simulated boards running the metrics app against nats-server and count what arrives")
  .option("-b, --board <name>", "a board from boards.json (repeat for a fleet)", collect, [])
  .option("-d, --duration <seconds>", "how long the boards publish", "10")
  .option("-s, --server <url>", "use this nats-server instead of an embedded one (also NATS_URL)")
  .option("-i, --interval <ms>", "metrics publishing interval", "1000")
  .option("-q, --quiet", "print only the summary")
  .action(async (o) => {
    const boards = o.board.length > 0 ? o.board : ["esp32-espruino", "esp8266-nodemcu"];
    const duration = Number(o.duration);
    const interval = Number(o.interval);
    if (!(duration > 0)) throw new Error(`--duration must be a positive number of seconds, got ${o.duration}`);
    if (!(interval >= 10)) throw new Error(`--interval must be at least 10 ms, got ${o.interval}`);
    const result = await simulate({
      boards,
      durationS: duration,
      intervalMs: interval,
      server: o.server ?? process.env.NATS_URL,
      log: o.quiet ? () => {} : (line) => console.log(line),
    });
    console.log(summaryTable(result.rows));
    if (!result.ok) {
      console.error("nats-mcu sim: not every published message reached the peer, or a board reported errors");
      process.exitCode = 1;
    }
  });

program.parseAsync().catch((e) => {
  console.error(`nats-mcu: ${e.message}`);
  process.exit(1);
});
