// Boards of both runtimes against nats-servers configured to enforce rules: fast server PINGs (a board
// that did not answer would be dropped as stale) and publish permissions (-ERR reaches onStatus).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer } from "../support/nats-server.js";
import { bootProbes, until } from "../support/probe-fleet.js";

const BOARDS = [
  { name: "esp32-espruino", id: "js1" },
  { name: "esp8266-nodemcu", id: "lua51" },
  { name: "esp32-nodemcu", id: "lua53" },
];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe("server PINGs every 500 ms, two unanswered close the connection", () => {
  let server;
  let fleet;
  before(async () => {
    server = await startServer({ config: 'ping_interval: "500ms"\nping_max: 2\n' });
    fleet = await bootProbes(server.url, BOARDS);
  });
  after(async () => {
    await fleet?.stop();
    await server?.stop();
  });

  test("every board answers and stays connected for 3 s", async () => {
    await sleep(3000);
    for (const { id } of BOARDS) {
      assert.equal(await fleet.cmd(id, "echo", "still here"), "still here", id);
    }
    for (const b of fleet.boards) {
      assert.deepEqual(b.logs.filter((l) => /^status (disconnect|close|error)/.test(l)), [], b.id);
    }
  });
});

describe("publish permissions: -ERR reaches onStatus and the connection stays", () => {
  let server;
  let fleet;
  before(async () => {
    server = await startServer({
      config: `authorization {
  users = [
    { user: board, password: pw, permissions: { publish: { deny: ["forbidden.>"] } } }
    { user: peer, password: pw }
  ]
}
`,
    });
    fleet = await bootProbes(server.url, BOARDS, {
      config: { user: "board", pass: "pw" },
      peerOptions: { user: "peer", pass: "pw" },
    });
  });
  after(async () => {
    await fleet?.stop();
    await server?.stop();
  });

  for (const { name, id } of BOARDS) {
    test(`${name}: a denied publish is reported as an error status`, async () => {
      assert.equal(await fleet.cmd(id, "pub", `forbidden.${id}\nx`), "ok", "accepted locally; the server refuses it");
      const expected = `error Permissions Violation for Publish to "forbidden.${id}"`;
      await until(`"${expected}" from ${id}`, () => fleet.statuses(id).includes(expected));
      assert.equal(await fleet.cmd(id, "echo", "after"), "after", "the connection stays");
    });
  }
});

describe("wrong credentials", () => {
  let server;
  let fleet;
  before(async () => {
    server = await startServer({ config: "authorization { user: board, password: right }\n" });
  });
  after(async () => {
    await fleet?.stop();
    await server?.stop();
  });

  test("every board reports Authorization Violation and closes", async () => {
    // The probe cannot publish its status here, so the boards' logs are read instead.
    const { bootFleet } = await import("../../sim/fleet.js");
    fleet = await bootFleet({
      app: "probe",
      specs: BOARDS.map((b) => ({ ...b, config: { boardId: b.id, servers: server.url, user: "board", pass: "wrong" } })),
    });
    for (const b of fleet.boards) {
      await until(`${b.id} to close`, () => b.logs.some((l) => l.startsWith("status close")));
      assert.ok(b.logs.includes("status error Authorization Violation"), `${b.id}: ${b.logs.join(" | ")}`);
      assert.ok(b.logs.includes("status close Authorization Violation"), `${b.id}: ${b.logs.join(" | ")}`);
    }
  });
});
