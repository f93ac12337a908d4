-- The allocation-free hot paths, measured on the pubsub test build (NATS_MCU_TEST_BUILDS): per publish
-- the only new string is the op handed to the socket; in a burst the op and its share of one joined
-- write (queued output is copied O(1) times per byte); per delivery only the strings handed to the
-- callback (here the payload; the subject repeats and is interned). No tables or closures per message.
package.path = "./test/lua/?.lua;" .. package.path
local alloc = require("alloc")
local builds = assert(os.getenv("NATS_MCU_TEST_BUILDS"), "NATS_MCU_TEST_BUILDS must name build/test")
local lib = dofile(builds .. "/nodemcu-pubsub/client.lua")
local full = dofile(builds .. "/nodemcu-full/client.lua")

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

  it("per request and its reply: the op, the reply subject and the reply's payload; per idle tick: nothing", function()
    local per_request, op_len, reply_len, payload_len = alloc.request(full, 10000)
    local per_tick = alloc.idle(lib, 10000)
    print(string.format("# %s: %.1f B per request (op %d B, reply subject %d B, payload %d B), %.2f B per idle tick",
      _VERSION, per_request, op_len, reply_len, payload_len, per_tick))
    -- Strings per request: the token's digits and the reply subject made of them, the op; per reply: its
    -- subject as parsed and its payload.
    local strings = 9 + reply_len + op_len + reply_len + payload_len
    assert.is_true(per_request <= strings + 5 * STRING_OVERHEAD, "bytes per request " .. per_request)
    assert.are.equal(0, per_tick)
  end)
end)
