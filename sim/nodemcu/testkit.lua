-- Helpers for busted specs of the emulator (test/lua/emulator/*_spec.lua): an in-process host that
-- records its report lines, and tiny LuaSocket TCP servers on 127.0.0.1 driven by the same loop.
--
--   local kit = dofile("sim/nodemcu/testkit.lua")
--   local k = kit.start({ boards = { kit.board{ chip = "esp8266", app_source = "print('hi')" } } })
--   assert.is_true(k:wait(function() return k:find("print", "^hi$") end, 1000))
--   k:close()
local socket = require("socket")

local DIR = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local emulator = dofile(DIR .. "emulator.lua")

local K = { emulator = emulator, LUA = emulator.LUA_VERSION }

local function unescape(s)
  return (s:gsub("\\(%d%d%d)", function(d) return string.char(tonumber(d)) end)
    :gsub("\\([nrt\\])", { n = "\n", r = "\r", t = "\t", ["\\"] = "\\" }))
end
K.unescape = unescape

-- Lua prelude for apps: onip(fn) runs fn once the station has an IP, on either chip.
do
  local f = assert(io.open(DIR .. "prelude-onip.lua", "rb"))
  K.ONIP = f:read("*a")
  f:close()
end

local counter = 0
-- A board spec with test defaults; fields given override them.
function K.board(fields)
  counter = counter + 1
  local b = { id = "board-" .. counter, chip = "esp8266", heap_budget = 40000, recv_chunk_max = 1460, send_max = 1460,
    seed = counter, reboot_ms = 20 }
  for k, v in pairs(fields or {}) do b[k] = v end
  return b
end

local Kit = {}
Kit.__index = Kit

-- Starts a host for spec. setup(k), if given, runs before the boards power on: start servers there
-- and put their ports into the boards' config (k:config(id).port = server.port).
function K.start(spec, setup)
  local k = setmetatable({ events = {}, servers = {} }, Kit)
  spec.heap_report_ms = spec.heap_report_ms or 0
  k.host = emulator.new(spec, {
    boot = false,
    report = function(id, kind, detail)
      k.events[#k.events + 1] = { board = id, kind = kind, detail = unescape(detail), raw = detail }
    end,
  })
  if setup then setup(k) end
  k.host:boot_all()
  return k
end

-- The config table require("config") copies for board id (create it if missing).
function Kit:config(id)
  local b = self.host:board(id)
  b.config = b.config or {}
  return b.config
end

-- The first event of kind whose detail matches pattern (Lua pattern; nil: any) and board (nil: any).
function Kit:find(kind, pattern, board)
  for _, e in ipairs(self.events) do
    if e.kind == kind and (not board or e.board == board) and (not pattern or e.detail:find(pattern)) then
      return e
    end
  end
end

function Kit:all(kind, board)
  local out = {}
  for _, e in ipairs(self.events) do
    if e.kind == kind and (not board or e.board == board) then out[#out + 1] = e end
  end
  return out
end

-- print() lines of a board, in order.
function Kit:prints(board)
  local out = {}
  for _, e in ipairs(self:all("print", board)) do out[#out + 1] = e.detail end
  return out
end

-- Runs the loop until pred() is true (returns true) or timeout_ms passed (returns false).
function Kit:wait(pred, timeout_ms)
  return self.host:run_until(pred, timeout_ms or 2000)
end

-- Runs the loop for ms milliseconds.
function Kit:run(ms)
  self.host:run_until(function() return false end, ms)
end

function Kit:dump()
  local out = {}
  for _, e in ipairs(self.events) do out[#out + 1] = e.board .. " " .. e.kind .. " " .. e.raw end
  return table.concat(out, "\n")
end

-- A TCP server on 127.0.0.1 (free port) polled by the host loop. handlers: on_accept(conn),
-- on_data(conn, data), on_close(conn); conn.sock is the LuaSocket client, conn.received all bytes so far,
-- conn:send(data) writes (blocking briefly; test payloads are small).
function Kit:server(handlers)
  handlers = handlers or {}
  local srv = assert(socket.bind("127.0.0.1", 0))
  srv:settimeout(0)
  local _, port = srv:getsockname()
  local server = { port = tonumber(port), conns = {}, sock = srv }
  self.servers[#self.servers + 1] = server
  local host = self.host
  host:watch(srv, function()
    local c = srv:accept()
    if not c then return end
    c:settimeout(1)
    local conn = { sock = c, received = "", closed = false }
    function conn:send(data) return c:send(data) end
    function conn:close()
      if not self.closed then
        self.closed = true
        host:unwatch(c)
        c:close()
      end
    end
    server.conns[#server.conns + 1] = conn
    host:watch(c, function()
      c:settimeout(0)
      local data, err, partial = c:receive(65536)
      c:settimeout(1)
      data = data or partial
      if data and #data > 0 then
        conn.received = conn.received .. data
        if handlers.on_data then handlers.on_data(conn, data) end
      end
      if err == "closed" then
        conn.closed = true
        host:unwatch(c)
        c:close()
        if handlers.on_close then handlers.on_close(conn) end
      end
    end)
    if handlers.on_accept then handlers.on_accept(conn) end
  end)
  return server
end

-- A port nothing listens on.
function K.dead_port()
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, port = s:getsockname()
  s:close()
  return tonumber(port)
end

function Kit:close()
  for _, server in ipairs(self.servers) do
    for _, c in ipairs(server.conns) do c:close() end
    self.host:unwatch(server.sock)
    server.sock:close()
  end
  self.host:shutdown()
end

return K
