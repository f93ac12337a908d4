// The core through the built test libraries of the JS build, every profile: golden fixtures and parser
// cases under every chunking (parser build), and the client scenarios (client build). The Lua specs
// (test/lua) run the same data.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PROFILE_NAMES } from "../../tools/build/profiles.js";
import { testBuildPath } from "../build/build-tests.js";
import { clientScenarios, wireCases } from "../support/cases.js";
import { chunkings } from "../support/chunkings.js";
import { needsFull, needsSubs, parserEvents, recordingSink } from "../support/events.js";
import { loadBuild } from "../support/load-library.js";
import { runScenario } from "../support/scenario.js";

const counts = {};
const rank = (p) => PROFILE_NAMES.indexOf(p);

for (const profile of PROFILE_NAMES) {
  const parser = loadBuild(testBuildPath("espruino", profile, "parser"));
  counts[profile] = 0;
  for (const c of wireCases()) {
    if (profile === "pub" && needsSubs(c.wire, c.events)) continue;
    if (profile !== "full" && needsFull(c.wire, c.events)) continue;
    test(`${profile}: ${c.name} under every chunking`, () => {
      const expected = parserEvents(c.events);
      for (const { label, chunks } of chunkings(c.wire)) {
        const sink = recordingSink();
        parser.useSink(sink, c.parser.maxControlLineBytes, c.parser.maxPayloadBytes);
        for (const chunk of chunks) parser.feed(chunk);
        assert.deepEqual(sink.events, expected, `${c.name}, ${label}`);
        counts[profile]++;
      }
    });
  }
  if (profile === "pub") {
    test("pub: a MSG is a protocol error (the profile parses no messages)", () => {
      const sink = recordingSink();
      parser.useSink(sink, 4096, 1024);
      parser.feed("PING\r\nMSG a 1 2\r\nhi\r\nPING\r\n");
      assert.deepEqual(sink.events, ["ping", "proto_error protocol"]);
    });
  }
  if (profile === "pubsub") {
    test("pubsub: an HMSG is a protocol error (the profile's CONNECT says headers:false)", () => {
      const sink = recordingSink();
      parser.useSink(sink, 4096, 1024);
      parser.feed("PING\r\nHMSG a 1 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPING\r\n");
      assert.deepEqual(sink.events, ["ping", "proto_error protocol"]);
    });
  }

  for (const s of clientScenarios()) {
    if (rank(s.profile) > rank(profile)) continue;
    test(`${profile}: client ${s.name}`, () => runScenario(loadBuild(testBuildPath("espruino", profile, "client")), s, profile));
  }
}

test("fixture x chunking cases run on every profile", () => {
  for (const [profile, n] of Object.entries(counts)) console.log(`# ${profile}: ${n} fixture/case x chunking runs`);
  assert.ok(Object.values(counts).every((n) => n > 0));
});
