// The packages of `nats-mcu package`: Espruino modules/ folders, the LuaRocks rock (linted, built
// offline into a tree, its busted spec run), and the npm tarball's contents.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT, loadBoards } from "../../tools/boards.js";
import { makePackages } from "../../tools/package/package.js";

const boards = loadBoards();
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
let out;
let made;

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

before(async () => {
  out = mkdtempSync(join(tmpdir(), "nats-mcu-packages-"));
  made = await makePackages({ out, rebuild: false }); // npm test built every board already
});
after(() => rmSync(out, { recursive: true, force: true }));

test("each Espruino board gets modules/nats-mcu.js: its profile's build, as the CLI's module path expects", () => {
  const espruino = Object.entries(boards).filter(([, b]) => b.runtime === "espruino");
  assert.equal(made.espruino.length, espruino.length);
  for (const [name, board] of espruino) {
    const file = join(out, "espruino", name, "modules", "nats-mcu.js");
    assert.ok(made.espruino.includes(file), file);
    assert.equal(readFileSync(file, "latin1"), readFileSync(join(ROOT, "build", name, board.profile, "nats-mcu.js"), "latin1"));
  }
});

test("the rockspec lints, builds offline from its archive, installs nats_mcu, and its busted spec passes", () => {
  const dir = dirname(made.luarocks.rockspec);
  run("luarocks", ["lint", made.luarocks.rockspec], dir);
  const tree = join(out, "tree");
  run("luarocks", ["--lua-version", "5.1", "build", "--tree", tree, made.luarocks.rockspec], dir);
  const installed = join(tree, "share", "lua", "5.1", "nats_mcu.lua");
  assert.ok(existsSync(installed), "nats_mcu.lua installed into the tree");
  assert.equal(readFileSync(installed, "latin1"), readFileSync(join(ROOT, "build", "esp8266-nodemcu", boards["esp8266-nodemcu"].profile, "nats_mcu.lua"), "latin1"));
  const busted = run("busted", ["--output=TAP"], join(dir, `nats-mcu-${pkg.version}`));
  assert.match(busted, /^ok 1 /m);
  assert.doesNotMatch(busted, /^not ok/m);
});

test("the npm tarball holds the CLI, the simulator, the sources and every board's build, and nothing of the tests", () => {
  const files = made.npm.files;
  assert.ok(files.includes(pkg.bin["nats-mcu"]), "the bin is packed");
  for (const f of ["boards.json", "tools/flash/flash.js", "sim/simulate.js", "src/index.ts", "firmware/apps/metrics/metrics.ts"]) assert.ok(files.includes(f), f);
  for (const [name, board] of Object.entries(boards)) {
    const lib = board.runtime === "espruino" ? "nats-mcu.js" : "nats_mcu.lua";
    assert.ok(files.includes(`build/${name}/${board.profile}/${lib}`), `${name}'s library`);
    assert.ok(files.includes(`build/${name}/manifest.json`), `${name}'s manifest`);
  }
  const stray = files.filter((f) => /^(test|bench|\.ci|build\/test|build\/packages)\//.test(f) || f.startsWith("node_modules/"));
  assert.deepEqual(stray, []);
});

test("every package the packed code imports is a dependency (or a peer for the dialect's ESLint config), not a devDependency", () => {
  const bare = new Set();
  for (const f of made.npm.files.filter((p) => /\.(js|cjs)$/.test(p) && !p.startsWith("build/"))) {
    const text = readFileSync(join(ROOT, f), "utf8");
    // import statements at the start of a line and dynamic import("…") with a literal: code the packed
    // files carry for boards (require("Storage") inside emulated firmware) is text, not an import
    const specifiers = [
      ...text.matchAll(/^(?:import|export)\s(?:[^;"']*?\sfrom\s)?\s*["']([^"']+)["']/gm),
      ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1]);
    for (const s of specifiers) {
      if (s.startsWith("node:") || s.startsWith(".")) continue;
      bare.add(s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]);
    }
  }
  const builtins = new Set(["fs", "path", "net", "os", "vm", "child_process", "url", "util", "events", "crypto", "perf_hooks", "worker_threads", "stream"]);
  const missing = [...bare].filter((name) => !builtins.has(name) && !(name in pkg.dependencies) && !(name in (pkg.peerDependencies ?? {})));
  assert.deepEqual(missing, [], "imported by packed files but not in dependencies");
});
