-- A bounded run of the client fuzzer (test/fuzz/client_fuzz.lua) on the Lua test builds of every
-- profile: 1,000 cases per profile with a fixed seed, 1,000 with this run's seed (printed, to replay with
-- npm run fuzz -- <cases> <seed>).
package.path = "./test/fuzz/?.lua;" .. package.path
local fuzz = require("client_fuzz")
local builds = assert(os.getenv("NATS_MCU_TEST_BUILDS"), "NATS_MCU_TEST_BUILDS must name build/test")
local data = dofile(assert(os.getenv("NATS_MCU_CASES"), "NATS_MCU_CASES must name the generated cases.lua"))
local wires = {}
for _, c in ipairs(data.wire) do wires[#wires + 1] = c.wire end

describe(_VERSION .. " client fuzz", function()
  it("fixed seed: nothing raises, writes stay well-formed and bounded", function()
    assert.are.equal(3000, fuzz.run(builds, 1000, 20261206, wires))
  end)
  it("every bad input ends in its protocol error and a reconnect", function()
    assert.are.equal(3000, fuzz.run_bad(builds, 1000, 20261206))
  end)
  it("this run's seed", function()
    local seed = os.time() % 2147483646
    print("# " .. _VERSION .. " client fuzz seed " .. seed)
    assert.are.equal(3000, fuzz.run(builds, 1000, seed, wires))
  end)
end)
