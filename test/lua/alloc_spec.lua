-- The allocation-free hot paths, measured on the built Lua library (NATS_MCU_LIB): per publish the only
-- new string is the one written to the socket; per delivery only the strings handed to the callback
-- (here the payload; the subject repeats and is interned). No tables or closures per message.
package.path = "./test/lua/?.lua;" .. package.path
local alloc = require("alloc")
local lib = dofile(assert(os.getenv("NATS_MCU_LIB"), "NATS_MCU_LIB must name a built nats_mcu.lua"))

-- A Lua string costs its length plus a header (about 25 B on a 64-bit host); table.concat and tostring
-- add a few short-lived temporaries. Anything per message beyond that (a table: 56 B and up, a closure:
-- 40 B and up) would push the figure over these bounds.
local STRING_OVERHEAD = 64

describe(_VERSION .. " " .. lib.BOARD_NAME .. " allocations", function()
  it("per publish: at most the write string, per delivery: at most the payload", function()
    local per_publish, per_delivery, write_len, payload_len = alloc.run(lib, 10000)
    print(string.format("# %s %s: %.1f bytes per publish (write string %d B), %.1f bytes per delivery (payload %d B)",
      _VERSION, lib.BOARD_NAME, per_publish, write_len, per_delivery, payload_len))
    assert.is_true(per_publish <= write_len + STRING_OVERHEAD, "bytes per publish " .. per_publish)
    assert.is_true(per_delivery <= payload_len + STRING_OVERHEAD, "bytes per delivery " .. per_delivery)
  end)
end)
