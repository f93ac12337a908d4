// The 50-locals counter must agree with the real Lua 5.1 parser. Stock luac5.1 allows 200
// (LUAI_MAXVARS), so padding a function with m always-active locals and finding the smallest m
// that fails measures the parser's own peak as 201 - m (nodemcu.md §3).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { compileError, listing } from "../../tools/dialect/luac.js";
import { parseListing, peakActiveLocals } from "../../tools/dialect/lua-locals.js";
import { plantedDir } from "./check-planted.js";
import { randomChunk } from "./random-lua-chunk.js";

const STOCK_MAX = 200;

function padding(m) {
  return m === 0 ? "" : `local ${Array.from({ length: m }, (_, i) => `pad${i}`).join(", ")}\n`;
}

// `wrap` places the padding and body in a function instead of the main chunk.
function compilesWithPadding(body, m, wrap) {
  const source = wrap ? `local function big()\n${padding(m)}${body}end\nreturn big\n` : padding(m) + body;
  const error = compileError("luac5.1", source);
  if (error !== undefined && !/has more than 200 local variables/.test(error.message)) throw new Error(error.message);
  return error === undefined;
}

function parserPeak(body, wrap) {
  assert.ok(compilesWithPadding(body, 0, wrap), "body alone must compile");
  let ok = 0;
  let fails = STOCK_MAX + 1;
  while (fails - ok > 1) {
    const mid = Math.floor((ok + fails) / 2);
    if (compilesWithPadding(body, mid, wrap)) ok = mid;
    else fails = mid;
  }
  return STOCK_MAX + 1 - fails;
}

function counterPeak(body, wrap) {
  const functions = parseListing(listing("luac5.1", wrap ? `local function big()\n${body}end\nreturn big\n` : body));
  return peakActiveLocals(functions[wrap ? 1 : 0].locals).peak;
}

describe("active-locals counter vs the Lua 5.1 parser", () => {
  for (const [sample, expected] of [["locals-50.lua", 50], ["locals-51.lua", 51]]) {
    test(`${sample}: the parser counts ${expected} and so does the counter`, () => {
      const body = readFileSync(join(plantedDir("lua"), sample), "utf8");
      assert.equal(counterPeak(body, false), expected);
      assert.equal(compilesWithPadding(body, STOCK_MAX - 50, false), expected <= 50);
    });
  }

  test("locals-for-loop.lua: hidden for-loop locals count (47 + 4 = 51)", () => {
    const body = readFileSync(join(plantedDir("lua"), "locals-for-loop.lua"), "utf8");
    const fn = parseListing(listing("luac5.1", body))[1];
    assert.equal(peakActiveLocals(fn.locals).peak, 51);
  });

  test("random main chunks: counter peak equals parser peak", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const body = randomChunk(seed, 20 + (seed % 70));
      assert.equal(counterPeak(body, false), parserPeak(body, false), `seed ${seed}`);
    }
  });

  test("random function bodies: counter peak equals parser peak", () => {
    for (let seed = 101; seed <= 120; seed++) {
      const body = randomChunk(seed, 20 + (seed % 70));
      assert.equal(counterPeak(body, true), parserPeak(body, true), `seed ${seed}`);
    }
  });
});
