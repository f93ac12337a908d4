#!/usr/bin/env node
// Type-checks every TypeScript project: the core, each runtime's adapter with it, and each board app
// per runtime. Exits non-zero when any has errors.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../tools/boards.js";

const projects = ["tsconfig.json", "firmware/espruino/tsconfig.json", "firmware/nodemcu/tsconfig.json", "test/build/tsconfig.json"];
for (const app of readdirSync(join(ROOT, "firmware", "apps"), { withFileTypes: true })) {
  if (!app.isDirectory()) continue;
  for (const runtime of ["espruino", "nodemcu"]) {
    const p = `firmware/apps/${app.name}/tsconfig.${runtime}.json`;
    if (existsSync(join(ROOT, p))) projects.push(p);
  }
}

let failed = 0;
for (const p of projects) {
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", p, "--noEmit"], { cwd: ROOT, stdio: "inherit" });
  console.log(`tsc -p ${p}: ${r.status === 0 ? "ok" : "errors"}`);
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
