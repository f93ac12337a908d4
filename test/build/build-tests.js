// Builds the test libraries: per runtime and profile, the client with a scripted adapter (client.js /
// client.lua, test/build/io-test.ts) and the parser alone reporting to a test sink (parser.js /
// parser.lua, test/build/parser-conn.ts), into build/test/<runtime>-<profile>/. The board artifacts
// carry none of this.
import { join } from "node:path";
import { ROOT } from "../../tools/boards.js";
import { buildLibrary } from "../../tools/build/build.js";
import { PROFILE_NAMES } from "../../tools/build/profiles.js";

/** Generous limits: scenarios set the ones they test through options. */
const TEST_CLIENT = {
  maxControlLineBytes: 4096, maxPayloadBytes: 1048576, outBufferBytes: 65536, maxSubs: 64, maxRequests: 16, maxServers: 16,
};
export const TEST_BOARDS = {
  espruino: { runtime: "espruino", chip: "esp32", profile: "full", socket: { recvChunkBytes: 1460, sendChunkBytes: 1460 }, client: TEST_CLIENT },
  nodemcu: { runtime: "nodemcu", chip: "esp32", lua: "5.3", numbers: "float", profile: "full", socket: { recvChunkBytes: 1460, sendChunkBytes: 1460 }, client: TEST_CLIENT },
};

export function testBuildPath(runtime, profile, kind) {
  return join(ROOT, "build", "test", `${runtime}-${profile}`, `${kind}.${runtime === "espruino" ? "js" : "lua"}`);
}

export async function buildTestLibraries() {
  for (const [runtime, board] of Object.entries(TEST_BOARDS)) {
    for (const profile of PROFILE_NAMES) {
      for (const kind of ["test", "parser"]) {
        const file = testBuildPath(runtime, profile, kind === "test" ? "client" : "parser");
        await buildLibrary(`test-${runtime}`, board, profile, kind, file);
      }
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildTestLibraries();
}
