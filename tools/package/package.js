// `nats-mcu package`: the library packaged for each ecosystem, into build/packages/:
//   espruino/<board>/modules/nats-mcu.js  the layout Espruino's module loader and the espruino CLI's
//                                         local module path expect (one per Espruino board, its profile)
//   luarocks/                             a rockspec whose build installs the prebuilt nats_mcu.lua, its
//                                         source archive, a busted spec and .busted
//   npm/nats-mcu-<version>.tgz            `npm pack` of this package (CLI, simulator, sources, builds)
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT, loadBoards } from "../boards.js";
import { build } from "../build/build.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** The board whose Lua build the rock ships: Lua 5.1, float numbers, the NodeMCU release branch. */
export const ROCK_BOARD = "esp8266-nodemcu";

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

function rockspec(version, profile) {
  const dir = `nats-mcu-${version}`;
  return `rockspec_format = "3.0"
package = "nats-mcu"
version = "${version}-1"
source = { url = "${dir}.tar.gz", dir = "${dir}" }
description = {
  summary = "Allocation-free NATS client for NodeMCU boards",
  detailed = "The nats-mcu library built for NodeMCU (Lua 5.1, ${profile} profile): connect, publish, subscribe, reconnect. Runs on the firmware's net and tmr modules.",
  license = "MIT",
}
dependencies = { "lua >= 5.1, < 5.4" }
build = { type = "builtin", modules = { nats_mcu = "nats_mcu.lua" } }
test = { type = "busted" }
`;
}

function luarocksPackage(out, version, boards) {
  const board = boards[ROCK_BOARD];
  const dir = join(out, "luarocks");
  const src = join(dir, `nats-mcu-${version}`);
  mkdirSync(join(src, "spec"), { recursive: true });
  copyFileSync(join(ROOT, "build", ROCK_BOARD, board.profile, "nats_mcu.lua"), join(src, "nats_mcu.lua"));
  copyFileSync(join(HERE, "rock-spec.lua"), join(src, "spec", "nats_mcu_spec.lua"));
  const busted = 'return { default = { ROOT = { "spec" }, lpath = "./?.lua" } }\n';
  writeFileSync(join(src, ".busted"), busted);
  const spec = join(dir, `nats-mcu-${version}-1.rockspec`);
  writeFileSync(spec, rockspec(version, board.profile));
  run("tar", ["czf", `nats-mcu-${version}.tar.gz`, `nats-mcu-${version}`], dir);
  return { dir, rockspec: spec };
}

function espruinoModules(out, boards) {
  const made = [];
  for (const [name, board] of Object.entries(boards)) {
    if (board.runtime !== "espruino") continue;
    const modules = join(out, "espruino", name, "modules");
    mkdirSync(modules, { recursive: true });
    copyFileSync(join(ROOT, "build", name, board.profile, "nats-mcu.js"), join(modules, "nats-mcu.js"));
    made.push(join(modules, "nats-mcu.js"));
  }
  return made;
}

function npmPackage(out) {
  const dir = join(out, "npm");
  mkdirSync(dir, { recursive: true });
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], ROOT));
  return { file: join(dir, packed.filename), files: packed.files.map((f) => f.path), size: packed.size };
}

/** Builds every board (unless rebuild is false), then the packages; returns what it wrote. */
export async function makePackages({ out = join(ROOT, "build", "packages"), rebuild = true } = {}) {
  const boards = loadBoards();
  if (rebuild) await build();
  rmSync(out, { recursive: true, force: true });
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  return {
    espruino: espruinoModules(out, boards),
    luarocks: luarocksPackage(out, version, boards),
    npm: npmPackage(out),
  };
}
