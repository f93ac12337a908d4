-- The protocol core through a built Lua library (NATS_MCU_LIB): the same fixtures, parser, INFO and
-- encoder cases as test/core/core.test.js, so every runtime must produce identical events and bytes.
package.path = "./test/lua/?.lua;" .. package.path
local support = require("support")

local lib_path = assert(os.getenv("NATS_MCU_LIB"), "NATS_MCU_LIB must name a built nats_mcu.lua")
local cases_path = assert(os.getenv("NATS_MCU_CASES"), "NATS_MCU_CASES must name the generated cases.lua")
local lib = dofile(lib_path)
local data = dofile(cases_path)
local label = _VERSION .. " " .. lib.BOARD_NAME

describe(label, function()
  local runs = 0

  for _, c in ipairs(data.wire) do
    it(c.name .. " under every chunking", function()
      support.each_chunking(c.wire, function(how, chunks)
        local sink = support.recording_sink(lib)
        local parser = lib.createParser(sink, c.parser.maxControlLineBytes, c.parser.maxPayloadBytes)
        for _, chunk in ipairs(chunks) do parser:feed(chunk) end
        assert.are.same(c.events, sink.events, c.name .. ", " .. how)
        runs = runs + 1
      end)
    end)
  end

  for _, c in ipairs(data.info.cases) do
    it("INFO " .. c.name, function()
      local into = lib.createServerInfo()
      local ok = lib.parseInfo(c.json, into, data.info.maxUrls)
      assert.are.equal(c.expect, ok and ("ok=true info " .. support.info_fields(into)) or "ok=false")
    end)
  end

  for _, c in ipairs(data.encoder) do
    it("encode " .. c.name, function()
      local q = lib.createOutQueue(c.queue and c.queue.maxBytes or 65536, c.queue and c.queue.maxParts or 256)
      for _, step in ipairs(c.steps) do
        assert.are.equal(step.error, support.encoder_step(lib, q, step), step.op)
      end
      assert.are.equal(c.expect, q:take())
      assert.are.equal("", q:take())
    end)
  end

  for _, sc in ipairs(data.client) do
    it("client " .. sc.name, function()
      local problem = support.run_scenario(lib, sc)
      assert.is_nil(problem, problem)
    end)
  end

  it("ran every fixture/case x chunking", function()
    print("# " .. label .. ": " .. runs .. " fixture/case x chunking runs")
    assert.is_true(runs > 0)
  end)
end)
