-- The emulator's tmr module (sim/nodemcu/api_tmr.lua): modes, stop/unregister, state, argument checks.
local ROOT = debug.getinfo(1, "S").source:match("^@(.-)test/lua/emulator/[^/\\]*$") or ""
local kit = dofile(ROOT .. "sim/nodemcu/testkit.lua")

local function start(chip, src)
  return kit.start({ boards = { kit.board({ id = "b", chip = chip, app_source = src }) } })
end

for _, chip in ipairs({ "esp8266", "esp32" }) do
  describe(kit.LUA and ("Lua " .. kit.LUA .. " " .. chip .. " tmr") or chip, function()
    local k
    after_each(function() if k then k:close() end k = nil end)

    it("the watchdog's count hook finds a callback's start even at the callback's first instruction", function()
      -- the hook runs every 10,000 VM instructions: it once came while a board was current but its first
      -- callback's start not yet set, and the host stopped (a fleet of 25 NodeMCU boards never booted)
      k = start(chip, [[print("up")]])
      assert.is_true(k:wait(function() return k:find("print", "^up") end, 2000), k:dump())
      local b = k.host:board("b")
      b.cb_started = nil
      k.host.current = b
      local ok, e = pcall(k.host._hook, k.host)
      k.host.current = nil
      assert.is_true(ok, tostring(e))
      local seen
      assert.is_true(k.host:invoke(b, true, function() seen = k.host.current == b and b.cb_started ~= nil end))
      assert.is_true(seen)
    end)

    it("ALARM_SINGLE fires once, then the timer is unregistered", function()
      k = start(chip, [[
        local n = 0
        local t = tmr.create()
        print("alarm", t:alarm(20, tmr.ALARM_SINGLE, function(tt) n = n + 1; print("fired", n, tt == t) end))
        local c = tmr.create()
        c:alarm(150, tmr.ALARM_SINGLE, function() print("end", n, t:state()) end)
      ]])
      assert.is_true(k:wait(function() return k:find("print", "^end") end, 2000), k:dump())
      assert.are.same({ "alarm\ttrue", "fired\t1\ttrue", "end\t1\tnil" }, k:prints("b"))
    end)

    it("ALARM_AUTO repeats until stop(); stop() tells whether it was running", function()
      k = start(chip, [[
        local n = 0
        local t = tmr.create()
        t:alarm(20, tmr.ALARM_AUTO, function(tt)
          n = n + 1
          print("tick", n)
          if n == 3 then print("stop", tt:stop(), tt:stop(), tt:state()) end
        end)
        tmr.create():alarm(250, tmr.ALARM_SINGLE, function() print("end", n) end)
      ]])
      assert.is_true(k:wait(function() return k:find("print", "^end") end, 2000), k:dump())
      assert.are.same({ "tick\t1", "tick\t2", "tick\t3", "stop\ttrue\tfalse\tfalse\t" .. tostring(1), "end\t3" },
        k:prints("b"))
    end)

    it("unregister() stops a repeating timer for good; start() cannot revive it", function()
      k = start(chip, [[
        local n = 0
        local t = tmr.create()
        t:alarm(20, tmr.ALARM_AUTO, function(tt) n = n + 1; if n == 2 then tt:unregister() end end)
        tmr.create():alarm(200, tmr.ALARM_SINGLE, function()
          print("count", n, t:state())
          print("restart", pcall(t.start, t))
        end)
      ]])
      assert.is_true(k:wait(function() return k:find("print", "^restart") end, 2000), k:dump())
      assert.are.equal("count\t2\tnil", k:prints("b")[1])
      if chip == "esp32" then
        assert.are.equal("restart\tfalse\ttimer not registered", k:prints("b")[2])
      else
        assert.are.equal("restart\ttrue\tfalse", k:prints("b")[2])
      end
    end)

    it("ALARM_SEMI fires once per start()", function()
      k = start(chip, [[
        local n = 0
        local t = tmr.create()
        t:register(20, tmr.ALARM_SEMI, function(tt)
          n = n + 1
          print("fired", n, tt:state())
          if n < 3 then tt:start() else tmr.create():alarm(100, tmr.ALARM_SINGLE, function() print("end", n) end) end
        end)
        print("state", t:state())
        t:start()
      ]])
      assert.is_true(k:wait(function() return k:find("print", "^end") end, 3000), k:dump())
      assert.are.same({ "state\tfalse\t2", "fired\t1\tfalse\t2", "fired\t2\tfalse\t2", "fired\t3\tfalse\t2", "end\t3" },
        k:prints("b"))
    end)

    it("checks arguments like the firmware", function()
      k = start(chip, [[
        local t = tmr.create()
        print(pcall(t.alarm, t, 0, tmr.ALARM_SINGLE, function() end))
        print(pcall(t.alarm, t, 10, 7, function() end))
        print(pcall(t.alarm, t, 10, tmr.ALARM_SINGLE))
      ]])
      assert.is_true(k:wait(function() return #k:prints("b") == 3 end, 1000), k:dump())
      local p = k:prints("b")
      assert.matches("^false\tbad argument #1 to 'alarm' %(Range: 1%-", p[1])
      assert.are.equal("false\tbad argument #2 to 'alarm' (Invalid mode)", p[2])
      assert.matches("^false\tbad argument #3 to 'alarm'", p[3])
    end)

    it("a timer callback error is reported; the default onerror hook reboots the board 2 s later", function()
      k = kit.start({ boards = { kit.board({ id = "b", chip = chip, onerror_restart_ms = 100, app_source = [[
        tmr.create():alarm(10, tmr.ALARM_SINGLE, function() error("boom") end)
      ]] }) } })
      assert.is_true(k:wait(function() return k:find("reboot", "^onerror") end, 2000), k:dump())
      assert.matches("boom", k:find("crash", nil, "b").detail)
      assert.matches("boom", k:find("print", "boom", "b").detail)
    end)
  end)
end

describe("tmr.now", function()
  local k
  after_each(function() if k then k:close() end k = nil end)

  it("exists on ESP8266 (31-bit µs) and not on ESP32", function()
    k = kit.start({ boards = {
      kit.board({ id = "e8", chip = "esp8266", app_source = "print(type(tmr.now), type(tmr.now()), tmr.now() < 2^31, type(tmr.time))" }),
      kit.board({ id = "e32", chip = "esp32", app_source = "print(type(tmr.now), pcall(function() return tmr.now() end))" }),
    } })
    assert.is_true(k:wait(function() return k:find("print", nil, "e8") and k:find("print", nil, "e32") end, 1000), k:dump())
    assert.are.equal("function\tnumber\ttrue\tfunction", k:prints("e8")[1])
    assert.matches("^nil\tfalse\t.*attempt to call", k:prints("e32")[1])
  end)

  it("wraps at 2^31 µs", function()
    k = kit.start({ boards = { kit.board({ id = "w", chip = "esp8266", clock_offset_us = 2147483648 - 50000,
      app_source = [[
        local a = tmr.now()
        tmr.create():alarm(100, tmr.ALARM_SINGLE, function() print(a > 2147000000, tmr.now() < 100000) end)
      ]] }) } })
    assert.is_true(k:wait(function() return k:find("print", nil, "w") end, 1000), k:dump())
    assert.are.equal("true\ttrue", k:prints("w")[1])
  end)

  it("ESP32 intervals are whole RTOS ticks; under one tick a timer cannot be created", function()
    k = kit.start({ boards = { kit.board({ id = "t", chip = "esp32", app_source = [[
      print(pcall(function() tmr.create():alarm(5, tmr.ALARM_SINGLE, function() end) end))
    ]] }) } })
    assert.is_true(k:wait(function() return k:find("print", nil, "t") end, 1000), k:dump())
    assert.are.equal("false\tFreeRTOS timer creation failed", k:prints("t")[1])
    assert.is_truthy(k:find("fault", "^tmr%-below%-tick"))
  end)
end)
