-- The emulator's net module (sim/nodemcu/api_net.lua) against LuaSocket servers in the same loop:
-- the one-send rule, "not connected", receive chunking, disconnection codes, callback errors.
local ROOT = debug.getinfo(1, "S").source:match("^@(.-)test/lua/emulator/[^/\\]*$") or ""
local kit = dofile(ROOT .. "sim/nodemcu/testkit.lua")

-- An app that connects to config.port once it has an IP, then runs config.on_connect (Lua source of a
-- function(sck)); receive prints "rx <bytes>".
local APP = kit.ONIP .. [[
local cfg = require("config")
local sck = net.createConnection()
_G.sck = sck
sck:on("receive", function(s, data) print("rx", #data) end)
sck:on("disconnection", function(s, err) print("disconnection", err) end)
local on_connect = loadstring and loadstring(cfg.on_connect) or load(cfg.on_connect)
sck:on("connection", function(s) on_connect()(s) end)
onip(function() sck:connect(cfg.port, "127.0.0.1") end)
]]

-- One board "b"; with a server (handlers table), config.port is that server's port.
local function start(k_opts, handlers)
  local server
  local k = kit.start({ boards = { kit.board(k_opts) } }, function(k)
    if handlers then
      server = k:server(handlers)
      k:config("b").port = server.port
    end
  end)
  return k, server
end

for _, chip in ipairs({ "esp8266", "esp32" }) do
  local oom = chip == "esp32" and "buffer error" or "out of memory"

  describe("Lua " .. kit.LUA .. " " .. chip .. " net", function()
    local k
    after_each(function() if k then k:close() end k = nil end)

    it("send before connect raises \"not connected\"; send(\"\") raises \"no data to send\"", function()
      k = start({ id = "b", chip = chip, app_source = [[
        local s = net.createConnection()
        print(pcall(s.send, s, "PING\r\n"))
        print(pcall(s.send, s, ""))
        print(pcall(s.close, s))
      ]] })
      assert.is_true(k:wait(function() return #k:prints("b") == 3 end, 1000), k:dump())
      assert.are.same({ "false\tnot connected", "false\tno data to send", "false\tnot connected" }, k:prints("b"))
    end)

    it("a second send while one is in flight raises and reports a fault; after \"sent\" the next one goes", function()
      local server
      k, server = start({ id = "b", chip = chip, app_source = APP, config = {
        on_connect = [[return function(s)
          s:on("sent", function(s2)
            print("sent")
            if not _G.second then _G.second = true; s2:send("two\n") end
          end)
          s:send("one\n")
          print(pcall(s.send, s, "again\n"))
        end]] } }, {})
      assert.is_true(k:wait(function() return #k:all("print", "b") >= 3 end, 2000), k:dump())
      assert.are.same({ "false\t" .. oom, "sent", "sent" }, k:prints("b"))
      assert.is_true(k:wait(function() return server.conns[1] and server.conns[1].received == "one\ntwo\n" end, 1000), k:dump())
      local f = k:find("fault", "^send%-in%-flight", "b")
      assert.is_truthy(f, k:dump())
    end)

    it("a send larger than 1460 bytes raises and reports a fault", function()
      k = start({ id = "b", chip = chip, app_source = APP, config = {
        on_connect = [[return function(s) print(pcall(s.send, s, string.rep("x", 1461))) end]] } }, {})
      assert.is_true(k:wait(function() return #k:prints("b") >= 1 end, 2000), k:dump())
      assert.are.equal("false\t" .. oom, k:prints("b")[1])
      assert.matches("bytes=1461 max=1460", k:find("fault", "^send%-too%-large", "b").detail)
    end)

    it("data only leaves after the callback returns; \"sent\" is never called inside send()", function()
      k = start({ id = "b", chip = chip, app_source = APP, config = {
        on_connect = [[return function(s)
          local inside = true
          s:on("sent", function() print("sent", inside) end)
          s:send("hello\n")
          print("after send")
          inside = false
        end]] } }, {})
      assert.is_true(k:wait(function() return #k:prints("b") >= 2 end, 2000), k:dump())
      assert.are.same({ "after send", "sent\tfalse" }, k:prints("b"))
    end)

    it("delivers received bytes in chunks of at most recv_chunk_max, cut anywhere", function()
      local blob = {}
      for i = 1, 400 do blob[#blob + 1] = "MSG " .. i .. "\r\n" end
      blob = table.concat(blob)
      local server
      k, server = start({ id = "b", chip = chip, recv_chunk_max = 97, seed = 7, app_source = APP, config = {
        on_connect = [[return function(s) end]] } }, { on_accept = function(conn) conn:send(blob) end })
      local total = 0
      assert.is_true(k:wait(function()
        total = 0
        for _, line in ipairs(k:prints("b")) do
          local n = line:match("^rx\t(%d+)$")
          if n then total = total + tonumber(n) end
        end
        return total >= #blob
      end, 3000), k:dump())
      assert.are.equal(#blob, total)
      local sizes, distinct = {}, {}
      for _, line in ipairs(k:prints("b")) do
        local n = tonumber(line:match("^rx\t(%d+)$"))
        if n then
          sizes[#sizes + 1] = n
          distinct[n] = true
          assert.is_true(n >= 1 and n <= 97, "chunk of " .. n .. " bytes")
        end
      end
      local count = 0
      for _ in pairs(distinct) do count = count + 1 end
      assert.is_true(#sizes >= math.ceil(#blob / 97), "too few chunks")
      assert.is_true(count >= 5, "chunk sizes should vary")
    end)

    it("a close by the peer fires disconnection with err 0; close() afterwards follows the firmware", function()
      k = start({ id = "b", chip = chip, app_source = APP, config = {
        on_connect = [[return function(s)
          s:on("disconnection", function(s2, err)
            print("disconnection", err)
            print("close", pcall(s2.close, s2))
          end)
        end]] } }, { on_accept = function(conn) conn:close() end })
      assert.is_true(k:wait(function() return #k:prints("b") >= 2 end, 2000), k:dump())
      assert.are.equal("disconnection\t0", k:prints("b")[1])
      -- ESP8266 drops the pcb before calling the handler: close() raises there (a PANIC follows, since
      -- the handler is unprotected). ESP32 keeps the netconn until close().
      if chip == "esp8266" then
        assert.are.equal("close\tfalse\tnot connected", k:prints("b")[2])
      else
        assert.are.equal("close\ttrue", k:prints("b")[2])
      end
    end)

    it("a refused connection goes to reconnection when registered, else disconnection", function()
      k = start({ id = "b", chip = chip, app_source = kit.ONIP .. [[
        local a = net.createConnection()
        a:on("reconnection", function(s, err) print("reconnection", err) end)
        a:on("disconnection", function(s, err) print("a disconnection", err) end)
        local b = net.createConnection()
        b:on("disconnection", function(s, err) print("b disconnection", err) end)
        onip(function()
          a:connect(require("config").port, "127.0.0.1")
          b:connect(require("config").port, "127.0.0.1")
        end)
      ]], config = { port = kit.dead_port() } })
      assert.is_true(k:wait(function() return #k:prints("b") >= 2 end, 2000), k:dump())
      local code = chip == "esp32" and "-14" or "-9"
      local p = k:prints("b")
      table.sort(p)
      assert.are.same({ "b disconnection\t" .. code, "reconnection\t" .. code }, p)
    end)

    it("connect before the board has an IP never connects and reports a fault", function()
      k = start({ id = "b", chip = chip, ip_at_boot = false, app_source = [[
        local s = net.createConnection()
        s:on("connection", function() print("connected") end)
        s:connect(4222, "127.0.0.1")
      ]] })
      k:run(100)
      assert.is_truthy(k:find("fault", "^connect%-without%-ip", "b"), k:dump())
      assert.is_nil(k:find("print", "connected", "b"))
    end)

    it("sockets are userdata to the app", function()
      k = start({ id = "b", chip = chip, app_source = "print(type(net.createConnection()), type(tmr.create()))" })
      assert.is_true(k:wait(function() return #k:prints("b") >= 1 end, 1000), k:dump())
      assert.are.equal("userdata\tuserdata", k:prints("b")[1])
    end)
  end)
end

describe("Lua " .. kit.LUA .. " net callback errors", function()
  local k
  after_each(function() if k then k:close() end k = nil end)

  local RECV_ERROR = APP:gsub('print%("rx", #data%)', 'error("bad frame")')

  it("ESP8266: an error in a receive callback is a PANIC and the board reboots", function()
    k = start({ id = "b", chip = "esp8266", app_source = RECV_ERROR, config = { on_connect = "return function() end" } },
      { on_accept = function(conn) conn:send("INFO {}\r\n") end })
    assert.is_true(k:wait(function() return k:find("boot", "^2 ") end, 2000), k:dump())
    assert.matches("^PANIC: unprotected error in call to Lua API %(.*bad frame%)$", k:find("panic", nil, "b").detail)
    assert.matches("^panic", k:find("reboot", nil, "b").detail)
    assert.matches("reason=panic", k:find("boot", "^2 ").detail)
  end)

  it("ESP32: the error goes to node.setonerror's hook and the board keeps running", function()
    k = start({ id = "b", chip = "esp32", app_source = 'node.setonerror(function(s) print("onerror", s) end)\n'
      .. RECV_ERROR .. '\ntmr.create():alarm(300, tmr.ALARM_SINGLE, function() print("alive") end)',
      config = { on_connect = "return function() end" } }, { on_accept = function(conn) conn:send("INFO {}\r\n") end })
    assert.is_true(k:wait(function() return k:find("print", "^alive", "b") end, 2000), k:dump())
    assert.matches("bad frame", k:find("crash", nil, "b").detail)
    assert.matches("^onerror\t.*bad frame", k:find("print", "^onerror", "b").detail)
    assert.is_nil(k:find("reboot", nil, "b"))
    assert.is_nil(k:find("panic", nil, "b"))
  end)
end)
