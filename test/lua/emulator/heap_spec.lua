-- Heap accounting (sim/nodemcu/heap.lua): node.heap() follows what a board keeps, per board, and a
-- board that outgrows heap_budget reboots.
local ROOT = debug.getinfo(1, "S").source:match("^@(.-)test/lua/emulator/[^/\\]*$") or ""
local kit = dofile(ROOT .. "sim/nodemcu/testkit.lua")

describe("Lua " .. kit.LUA .. " heap", function()
  local k
  after_each(function() if k then k:close() end k = nil end)

  it("node.heap() drops when the app keeps data and comes back when it lets go", function()
    k = kit.start({ boards = { kit.board({ id = "b", heap_budget = 40000, app_source = [[
      local h0 = node.heap()
      keep = {}
      for i = 1, 100 do keep[i] = string.rep("x", 50) .. i end
      local h1 = node.heap()
      keep = nil
      local h2 = node.heap()
      print(h0 <= 40000, h0 - h1 > 100 * 60, math.abs(h2 - h0) < 64)
    ]] }) } })
    assert.is_true(k:wait(function() return #k:prints("b") >= 1 end, 1000), k:dump())
    assert.are.equal("true\ttrue\ttrue", k:prints("b")[1])
  end)

  it("charges each board for its own data only", function()
    local src = [[
      if require("config").big then
        big = {}
        for i = 1, 200 do big[i] = string.rep("y", 40) .. i end
      end
      tmr.create():alarm(20, tmr.ALARM_SINGLE, function() print(node.heap()) end)
    ]]
    k = kit.start({ boards = {
      kit.board({ id = "small", app_source = src, config = {} }),
      kit.board({ id = "big", app_source = src, config = { big = true } }),
    } })
    assert.is_true(k:wait(function() return #k:prints("small") >= 1 and #k:prints("big") >= 1 end, 1000), k:dump())
    local small, big = tonumber(k:prints("small")[1]), tonumber(k:prints("big")[1])
    assert.is_true(small - big > 200 * 50, "small " .. small .. ", big " .. big)
  end)

  it("reboots a board that allocates without bound (reason heap)", function()
    k = kit.start({ boards = { kit.board({ id = "b", heap_budget = 20000, max_reboots = 1, app_source = [[
      hoard = {}
      tmr.create():alarm(5, tmr.ALARM_AUTO, function()
        for i = 1, 20 do hoard[#hoard + 1] = string.rep("z", 30) .. #hoard end
      end)
    ]] }) } })
    assert.is_true(k:wait(function() return k:find("boot", "^2 ") end, 3000), k:dump())
    local r = k:find("reboot", nil, "b")
    assert.matches("^heap used=%d+ budget=20000", r.detail)
    assert.matches("reason=heap", k:find("boot", "^2 ").detail)
  end)

  it("collectgarbage(\"count\") reports the board's own use in KB", function()
    k = kit.start({ boards = { kit.board({ id = "b", app_source = [[
      local kb = collectgarbage("count")
      print(type(kb), kb > 0 and kb < 40, math.abs(node.heap() + kb * 1024 - 40000) < 64)
    ]] }) } })
    assert.is_true(k:wait(function() return #k:prints("b") >= 1 end, 1000), k:dump())
    assert.are.equal("number\ttrue\ttrue", k:prints("b")[1])
  end)
end)
