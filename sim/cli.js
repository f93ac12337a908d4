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
  .action(async (boards) => {
    const manifests = await build(boards);
    console.log(sizeTable(manifests));
  });

program.parseAsync().catch((e) => {
  console.error(`nats-mcu: ${e.message}`);
  process.exit(1);
});
