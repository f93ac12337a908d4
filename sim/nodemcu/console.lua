-- A board's UART0 Lua console, served on a loopback TCP port: one client at a time, as a serial port
-- has one reader (a new connection replaces the old one). What the board writes while nobody is
-- connected is lost, as on a UART; input that arrives while the board is rebooting is lost too.
--
-- Input (app/driver/input.c, ESP32 components/lua/common/linput.c): every byte is echoed as it
-- arrives; CR, LF, CRLF and LFCR end a line (echoed as a newline); backspace/DEL erase ("\b \b");
-- an empty line only writes the prompt again; a line reaching LUA_MAXINPUT (256) bytes loses what came
-- before (the firmware discards it). Complete lines go into the stdin pipe (so does node.input).
-- Interpreter (app/lua53/lua.c dojob, used by both Lua versions): one line per low-priority task; a
-- first line "=expr" means "return expr"; a chunk whose compile error ends in <eof> is incomplete and
-- waits for more lines behind the ">> " prompt; otherwise it runs, its results are printed, and an
-- error is printed as print("Lua error: ", traceback). Then the prompt ("> ", or _PROMPT/_PROMPT2).
-- Output: print, the echo, the prompt and the banner go through the UART driver, which writes "\n" as
-- "\r\n" (ESP8266 uart0_putc also drops "\r"; ESP32 stdout only adds the "\r"); uart.write is raw.
-- Boot (pmain): the banner, then init.lua from the board's files (only init.lua: the firmware's
-- LUA_INIT_STRING is "@init.lua"), its error or "cannot open init.lua: …" printed, then the first prompt.
local socket = require("socket")

local M = {}

local MAXINPUT = 256
local LOW = 0
local V51 = _VERSION == "Lua 5.1"
local EOFMARK = V51 and "'<eof>'" or "<eof>"
local unpack = rawget(_G, "unpack") or table.unpack

local function pack(...)
  return { n = select("#", ...), ... }
end

local C = {}
C.__index = C

function M.new(host, board, spec)
  local addr = spec.host or "127.0.0.1"
  local server, err = socket.bind(addr, spec.port or 0)
  if not server then error(string.format("console of %s: cannot listen on %s:%s: %s", board.id, addr, tostring(spec.port), err), 0) end
  server:settimeout(0)
  local self = setmetatable({ host = host, board = board, server = server, pending = "", echo = true }, C)
  self.port = select(2, server:getsockname())
  self:_reset()
  host:watch(server, function() self:_accept() end)
  return self
end

function C:_reset()
  self.line, self.last = {}, nil
  self.stdin, self.posted, self.ml = "", false, nil
  self.prompt = "> "
end

function C:_accept()
  local client = self.server:accept()
  if not client then return end
  client:settimeout(0)
  client:setoption("tcp-nodelay", true)
  self:_drop()
  local console = self
  local st = { tcp = client }
  function st.wants_read() return true end
  function st.wants_write() return console.pending ~= "" end
  function st.on_readable()
    local data, err, partial = client:receive(4096)
    local got = data or partial
    if got and got ~= "" then console:input(got) end
    if err == "closed" then console:_drop() end
  end
  function st.on_writable()
    local i, err, last = client:send(console.pending)
    console.pending = console.pending:sub((i or last or 0) + 1)
    if err == "closed" then console:_drop() end
  end
  self.client = st
  self.host.io[st] = true
end

function C:_drop()
  local st = self.client
  if not st then return end
  self.host.io[st] = nil
  st.tcp:close()
  st.tcp = nil
  self.client = nil
  self.pending = ""
end

function C:close()
  self:_drop()
  self.host:unwatch(self.server)
  self.server:close()
end

-- Bytes to the UART: through the driver's newline handling unless raw (uart.write).
function C:write(s, raw)
  if not raw then
    if self.board.chip == "esp8266" then s = s:gsub("\r", "") end
    s = s:gsub("\n", "\r\n")
  end
  if self.client then self.pending = self.pending .. s end
end

-- UART receive: the line discipline of input.c.
function C:input(data)
  if self.board.state ~= "running" then return end
  for i = 1, #data do
    local ch = data:sub(i, i)
    if (ch == "\r" and self.last == "\n") or (ch == "\n" and self.last == "\r") then
      self.last = nil
    elseif ch == "\8" or ch == "\127" then
      if #self.line > 0 then
        if self.echo then self:write("\8 \8") end
        self.line[#self.line] = nil
      end
      self.last = nil
    else
      self.last = ch
      if ch == "\r" or ch == "\n" then
        if self.echo then self:write("\n") end
        if #self.line == 0 then
          self:write(self.prompt)
        else
          self:push(table.concat(self.line) .. "\n")
          self.line = {}
        end
      else
        if self.echo then self:write(ch) end
        if #self.line + 1 >= MAXINPUT then self.line = {} end
        self.line[#self.line + 1] = ch
      end
    end
  end
end

-- Writes into the stdin pipe (UART lines and node.input); the reader task takes one line per run.
function C:push(s)
  self.stdin = self.stdin .. s
  self:_schedule()
end

function C:_schedule()
  if self.posted or not self.stdin:find("\n", 1, true) then return end
  self.posted = true
  self.host:post(LOW, self.board, function()
    self.posted = false
    local nl = self.stdin:find("\n", 1, true)
    if not nl then return end
    local line = self.stdin:sub(1, nl - 1)
    self.stdin = self.stdin:sub(nl + 1)
    self:_dojob(line)
    self:_schedule()
  end)
end

local function incomplete(err)
  return type(err) == "string" and err:sub(-#EOFMARK) == EOFMARK
end

-- l_print: the board's own global print (an app may replace it) with n values.
function C:_print(values, first, last)
  if last < first then return end
  local ok, err = pcall(self.board.env.print, unpack(values, first, last))
  if not ok then self:write("error calling 'print' (" .. tostring(err) .. ")\n") end
end

function C:_dojob(line)
  local host, board = self.host, self.board
  local function msghandler(e)
    if host:is_wdt(e) or (type(e) ~= "string" and type(e) ~= "number") then return e end
    local tb = host:traceback(tostring(e)) -- not a tail call: traceback counts this frame
    return tb
  end
  host:invoke(board, true, function()
    local chunk = line
    if self.ml then
      chunk = self.ml .. "\n" .. line
    elseif line:sub(1, 1) == "=" then
      chunk = "return " .. line:sub(2)
    end
    local fn, err = host:load_chunk(board, chunk, "=stdin")
    if not fn and incomplete(err) then
      self.ml = chunk
    else
      self.ml = nil
      local r = fn and { n = 0 } or { n = 2, false, err }
      if fn then
        r = pack(xpcall(fn, msghandler))
        if not r[1] and host:is_wdt(r[2]) then error(r[2], 0) end
      end
      if r[1] then
        self:_print(r, 2, r.n)
      elseif r[2] ~= nil then
        self:_print({ "Lua error: ", r[2] }, 1, 2)
      else
        self:_print({ nil }, 1, 1)
      end
    end
    local env = board.env
    local p = self.ml and env._PROMPT2 or env._PROMPT
    if type(p) ~= "string" and type(p) ~= "number" then p = self.ml and ">> " or "> " end
    self.prompt = tostring(p)
    self:write(self.prompt)
  end)
end

local function banner(board)
  local release = V51 and "Lua 5.1.4" or "Lua 5.3.6"
  if board.chip == "esp32" then
    local opt = V51 and "5.1-doublefp" or "5.3-int32-singlefp"
    return "\nNodeMCU ESP32 build emulator powered by " .. release .. " [" .. opt .. "] on IDF v4.4.3\n"
  end
  return "\nNodeMCU 3.0.0.0 build emulator powered by " .. release .. " on SDK 3.0.1-dev(fce080e)\n"
end

-- pmain: called by the emulator at every boot of the board, after its fresh globals are installed.
function C:boot()
  local host, board = self.host, self.board
  self:_reset()
  self:write(banner(board))
  local src = board.fs:read("init.lua")
  if src == nil then
    -- luaL_loadfile's errfile(): strerror is empty on ESP8266 (observed on 3.0 boards)
    host:report(board, "print", "cannot open init.lua: " .. (board.chip == "esp32" and "No such file or directory" or ""))
  else
    local fn, err = host:compile(board, src, "@init.lua", true)
    if fn then
      host:invoke(board, "init", fn)
    else
      host:report(board, "print", err)
    end
  end
  if board.state == "running" then self:push(" \n") end -- lua_input_string(" \n"): the first prompt
end

-- The emulator is about to reset the board.
function C:on_reboot(reason)
  if reason == "heap" then
    -- where the device's allocation failed, an unprotected "not enough memory" is the usual sight
    self:write("PANIC: unprotected error in call to Lua API (not enough memory)\n")
  end
end

return M
