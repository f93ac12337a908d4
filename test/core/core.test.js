// The protocol core through the built Espruino library files: golden fixtures and parser cases under
// every chunking, INFO extraction and encoder cases. The Lua specs (test/lua) run the same data.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadBoards } from "../../tools/boards.js";
import { clientScenarios, encoderCases, infoCases, wireCases } from "../support/cases.js";
import { chunkings } from "../support/chunkings.js";
import { runEncoderStep } from "../support/encode-step.js";
import { infoFields, recordingSink } from "../support/events.js";
import { loadEspruinoLibrary } from "../support/load-library.js";
import { runScenario } from "../support/scenario.js";

const boards = Object.entries(loadBoards()).filter(([, b]) => b.runtime === "espruino").map(([name]) => name);
const counts = {};

for (const board of boards) {
  const lib = loadEspruinoLibrary(board);
  counts[board] = 0;

  for (const c of wireCases()) {
    test(`${board}: ${c.name} under every chunking`, () => {
      for (const { label, chunks } of chunkings(c.wire)) {
        const sink = recordingSink(lib);
        const parser = lib.createParser(sink, c.parser.maxControlLineBytes, c.parser.maxPayloadBytes);
        for (const chunk of chunks) parser.feed(chunk);
        assert.deepEqual(sink.events, c.events, `${c.name}, ${label}`);
        counts[board]++;
      }
    });
  }

  const info = infoCases();
  for (const c of info.cases) {
    test(`${board}: INFO ${c.name}`, () => {
      const into = lib.createServerInfo();
      const ok = lib.parseInfo(c.json, into, info.maxUrls);
      assert.equal(ok ? `ok=true info ${infoFields(into)}` : "ok=false", c.expect);
    });
  }

  for (const c of encoderCases()) {
    test(`${board}: encode ${c.name}`, () => {
      const q = lib.createOutQueue(c.queue?.maxBytes ?? 65536, c.queue?.maxParts ?? 256);
      for (const step of c.steps) {
        assert.equal(runEncoderStep(lib, q, step), step.error, `${step.op} ${JSON.stringify(step.args).slice(0, 80)}`);
      }
      assert.equal(q.take(), c.expect);
      assert.equal(q.take(), "", "take() empties the queue");
    });
  }
}

for (const board of boards) {
  const lib = loadEspruinoLibrary(board);
  for (const s of clientScenarios()) {
    test(`${board}: client ${s.name}`, () => runScenario(lib, s));
  }
}

test("fixture x chunking cases run", () => {
  for (const [board, n] of Object.entries(counts)) console.log(`# ${board}: ${n} fixture/case x chunking runs`);
  assert.ok(Object.values(counts).every((n) => n > 0));
});
