-- A board's globals (sim/nodemcu/env.lua) and the node module: no os/io, per-board isolation,
-- require of modules and config, chip and Lua-version differences.
local ROOT = debug.getinfo(1, "S").source:match("^@(.-)test/lua/emulator/[^/\\]*$") or ""
local kit = dofile(ROOT .. "sim/nodemcu/testkit.lua")

local function run(boards, n, timeout)
  local k = kit.start({ boards = boards })
  local ok = k:wait(function()
    for _, b in ipairs(boards) do
      if #k:prints(b.id) < n then return false end
    end
    return true
  end, timeout or 1000)
  return k, ok
end

describe("Lua " .. kit.LUA .. " board environment", function()
  local k
  after_each(function() if k then k:close() end k = nil end)

  it("has no os and no io: using them fails as on the device", function()
    local ok
    k, ok = run({ kit.board({ id = "b", app_source = [[
      print(os, io, dofile, loadfile)
      print(pcall(function() return os.time() end))
      print(pcall(function() return io.open("x") end))
    ]] }) }, 3)
    assert.is_true(ok, k:dump())
    local p = k:prints("b")
    assert.are.equal("nil\tnil\tnil\tnil", p[1])
    -- 5.1: "attempt to index global 'os' (a nil value)"; 5.3: "attempt to index a nil value (global 'os')"
    assert.matches("^false\t.*attempt to index .*'os'", p[2])
    assert.matches("^false\t.*attempt to index .*'io'", p[3])
  end)

  it("gives each board its own globals and its own copy of a module", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "w"))
    f:write("counter = (counter or 0) + 1\nreturn { n = counter, t = {} }\n")
    f:close()
    local src = [[
      shared = (shared or 0) + 1
      local m = require("mod")
      m.t.x = (m.t.x or 0) + 1
      print(shared, counter, m.n, m.t.x, require("mod") == m, require("config").name)
    ]]
    local ok
    k, ok = run({
      kit.board({ id = "a", modules = { mod = path }, app_source = src, config = { name = "A" } }),
      kit.board({ id = "c", chip = "esp32", modules = { mod = path }, app_source = src, config = { name = "C" } }),
    }, 1)
    os.remove(path)
    assert.is_true(ok, k:dump())
    assert.are.equal("1\t1\t1\t1\ttrue\tA", k:prints("a")[1])
    assert.are.equal("1\t1\t1\t1\ttrue\tC", k:prints("c")[1])
    assert.is_nil(rawget(_G, "shared"))
    assert.is_nil(rawget(_G, "counter"))
  end)

  it("pairs(_G) lists only what the app defined; require of an unknown module fails", function()
    local ok
    k, ok = run({ kit.board({ id = "b", app_source = [[
      mine = 1
      local names = {}
      for name in pairs(_G) do names[#names + 1] = name end
      table.sort(names)
      print(table.concat(names, ","))
      print(pcall(require, "nope"))
    ]] }) }, 2)
    assert.is_true(ok, k:dump())
    assert.are.equal("_G,mine", k:prints("b")[1])
    assert.matches("^false\tmodule 'nope' not found", k:prints("b")[2])
  end)

  it("differs by chip: tmr.now and wifi.eventmon on ESP8266, node.uptime and wifi.sta.on on ESP32", function()
    local src = [[
      print(type(tmr.now), type(node.uptime), type(wifi.eventmon), type(wifi.sta.on), type(node.chipid()))
      print(node.info("build_config").number_type, type(node.egc))
    ]]
    local ok
    k, ok = run({
      kit.board({ id = "e8", chip = "esp8266", app_source = src }),
      kit.board({ id = "e32", chip = "esp32", numbers = "integer", app_source = src }),
    }, 2)
    assert.is_true(ok, k:dump())
    assert.are.equal("function\tnil\ttable\tnil\tnumber", k:prints("e8")[1])
    assert.are.equal("nil\tfunction\tnil\tfunction\tstring", k:prints("e32")[1])
    -- node.egc exists on Lua 5.1 builds only (node.c)
    local egc = kit.LUA == "5.1" and "table" or "nil"
    assert.are.equal("float\t" .. egc, k:prints("e8")[2])
    assert.are.equal("integer\t" .. egc, k:prints("e32")[2])
  end)

  it("node.uptime returns µs and a high word; node.task.post runs by priority", function()
    local ok
    k, ok = run({ kit.board({ id = "b", chip = "esp32", app_source = [[
      local lo, hi = node.uptime()
      print(type(lo), hi)
      node.task.post(node.task.LOW_PRIORITY, function(p) print("task", p) end)
      node.task.post(node.task.HIGH_PRIORITY, function(p) print("task", p) end)
      node.task.post(function(p) print("task", p) end)
    ]] }) }, 4)
    assert.is_true(ok, k:dump())
    assert.are.same({ "number\t0", "task\t2", "task\t1", "task\t0" }, k:prints("b"))
  end)

  it("node.restart() reboots after the callback returns, with a fresh environment", function()
    local ok
    k, ok = run({ kit.board({ id = "b", app_source = [[
      boots = (boots or 0) + 1
      print("boot", boots, node.bootreason())
      if require("config").restart then
        tmr.create():alarm(10, tmr.ALARM_SINGLE, function() node.restart(); print("still running") end)
      end
    ]], config = { restart = true }, max_reboots = 1 }) }, 4, 2000)
    assert.is_true(ok, k:dump())
    local p = k:prints("b")
    assert.are.same({ "boot\t1\t1\t0", "still running", "boot\t1\t2\t4" }, { p[1], p[2], p[3] })
    assert.matches("^restart", k:find("reboot", nil, "b").detail)
  end)

  it("an error in the app's main chunk is printed; the board does not reboot", function()
    k = kit.start({ boards = { kit.board({ id = "b", app_source = "print('before')\nerror('init failed')" }) } })
    k:run(150)
    assert.matches("init failed", k:find("crash", nil, "b").detail)
    assert.is_nil(k:find("reboot", nil, "b"))
  end)

  if os.getenv("NATS_MCU_LIB") then
    it("loads the built library (" .. os.getenv("NATS_MCU_LIB") .. ") inside a board", function()
      local ok
      k, ok = run({ kit.board({ id = "b", modules = { nats_mcu = os.getenv("NATS_MCU_LIB") }, app_source = [[
        local lib = require("nats_mcu")
        print(type(lib), type(lib.connect), node.heap() > 0)
      ]] }) }, 1)
      assert.is_true(ok, k:dump())
      assert.are.equal("table\tfunction\ttrue", k:prints("b")[1])
    end)
  end
end)
