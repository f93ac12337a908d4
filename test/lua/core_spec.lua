-- The core through the Lua test builds (NATS_MCU_TEST_BUILDS/nodemcu-<profile>/), every profile: the
-- same fixtures, parser cases and client scenarios as test/core/core.test.js, so every runtime must
-- produce identical events and bytes.
package.path = "./test/lua/?.lua;" .. package.path
local support = require("support")

local builds = assert(os.getenv("NATS_MCU_TEST_BUILDS"), "NATS_MCU_TEST_BUILDS must name build/test")
local cases_path = assert(os.getenv("NATS_MCU_CASES"), "NATS_MCU_CASES must name the generated cases.lua")
local data = dofile(cases_path)
local PROFILES = { "pub", "pubsub", "full" }
local RANK = { pub = 1, pubsub = 2, full = 3 }

for _, profile in ipairs(PROFILES) do
  local dir = builds .. "/nodemcu-" .. profile .. "/"
  describe(_VERSION .. " " .. profile, function()
    local runs = 0
    local parser = dofile(dir .. "parser.lua")

    for _, c in ipairs(data.wire) do
      if (profile ~= "pub" or not c.needsSubs) and (profile == "full" or not c.needsFull) then
        it(c.name .. " under every chunking", function()
          support.each_chunking(c.wire, function(how, chunks)
            local sink = support.recording_sink()
            parser.useSink(sink, c.parser.maxControlLineBytes, c.parser.maxPayloadBytes)
            for _, chunk in ipairs(chunks) do parser.feed(chunk) end
            assert.are.same(c.events, sink.events, c.name .. ", " .. how)
            runs = runs + 1
          end)
        end)
      end
    end

    -- an op the profile does not parse is a protocol error
    local absent = {
      pub = { "a MSG is a protocol error (the profile parses no messages)", "MSG a 1 2\r\nhi\r\n" },
      pubsub = { "an HMSG is a protocol error (the profile's CONNECT says headers:false)", "HMSG a 1 12 14\r\nNATS/1.0\r\n\r\nhi\r\n" },
    }
    if absent[profile] then
      it(absent[profile][1], function()
        local sink = support.recording_sink()
        parser.useSink(sink, 4096, 1024)
        parser.feed("PING\r\n" .. absent[profile][2] .. "PING\r\n")
        assert.are.same({ "ping", "proto_error protocol" }, sink.events)
      end)
    end

    for _, sc in ipairs(data.client) do
      if RANK[sc.profile] <= RANK[profile] then
        it("client " .. sc.name, function()
          local problem = support.run_scenario(dofile(dir .. "client.lua"), sc, profile)
          assert.is_nil(problem, problem)
        end)
      end
    end

    it("ran every fixture/case x chunking", function()
      print("# " .. _VERSION .. " " .. profile .. ": " .. runs .. " fixture/case x chunking runs")
      assert.is_true(runs > 0)
    end)
  end)
end
