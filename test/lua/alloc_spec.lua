-- The allocation-free hot paths, measured on the pubsub test build (NATS_MCU_TEST_BUILDS): per publish
-- the only new string is the op handed to the socket; in a burst the op and its share of one joined
-- write (queued output is copied O(1) times per byte); per delivery only the strings handed to the
-- callback (here the payload; the subject repeats and is interned). No tables or closures per message.
package.path = "./test/lua/?.lua;" .. package.path
local alloc = require("alloc")
local builds = assert(os.getenv("NATS_MCU_TEST_BUILDS"), "NATS_MCU_TEST_BUILDS must name build/test")
local lib = dofile(builds .. "/nodemcu-pubsub/client.lua")

-- A Lua string costs its length plus a header (about 25 B on a 64-bit host); tostring adds short-lived
-- temporaries. Anything per message beyond that (a table: 56 B and up, a closure: 40 B and up) would
-- push the figure over these bounds.
local STRING_OVERHEAD = 64

describe(_VERSION .. " allocations", function()
  it("per publish: the op; in a burst: the op and its share of one write; per delivery: the payload", function()
    local per_publish, per_burst, per_delivery, op_len, payload_len = alloc.run(lib, 10000)
    print(string.format("# %s: %.1f B per publish, %.1f B per burst publish (op %d B), %.1f B per delivery (payload %d B)",
      _VERSION, per_publish, per_burst, op_len, per_delivery, payload_len))
    assert.is_true(per_publish <= op_len + STRING_OVERHEAD, "bytes per publish " .. per_publish)
    assert.is_true(per_burst <= 2 * op_len + STRING_OVERHEAD, "bytes per burst publish " .. per_burst)
    assert.is_true(per_delivery <= payload_len + STRING_OVERHEAD, "bytes per delivery " .. per_delivery)
  end)
end)
