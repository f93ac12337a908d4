-- The NodeMCU emulator core: boots simulated boards in one Lua state (lua5.1 or lua5.3 with LuaSocket)
-- and drives all their callbacks from one event loop: a timer heap, NodeMCU's three task priorities,
-- and socket.select over the boards' TCP sockets. host.lua is the command line around it; the busted
-- specs (test/lua/emulator) use it directly:
--
--   local emulator = dofile("sim/nodemcu/emulator.lua")
--   local host = emulator.new(spec, { report = function(id, kind, detail) ... end })
--   host:run_until(function() return done end, 2000)   -- or host:run() until duration/stop
--   host:shutdown()
--
-- The spec and the report lines are described at the top of host.lua; the device semantics in
-- api_net.lua, api_tmr.lua, api_node.lua, api_wifi.lua and env.lua; heap accounting in heap.lua.
local socket = require("socket")

local DIR = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local heap = dofile(DIR .. "heap.lua")
local env_lib = dofile(DIR .. "env.lua")
local fs_lib = dofile(DIR .. "fs.lua")
local console_lib = dofile(DIR .. "console.lua")

local unpack = rawget(_G, "unpack") or table.unpack
local floor = math.floor

local M = {}
M.DIR = DIR
M.LOW, M.MEDIUM, M.HIGH = 0, 1, 2

local LUA_VERSION = _VERSION:match("(%d+%.%d+)")
M.LUA_VERSION = LUA_VERSION

local DEFAULTS = {
  heap_budget = 40000,
  recv_chunk_max = 1460,
  send_max = 1460,
  seed = 1,
  numbers = "float",
  lfs = true,          -- modules are LFS images: their code costs no heap (nodemcu.md §8)
  app_lfs = false,     -- the app is in LFS too (its code and string literals cost no heap)
  wifi_ms = 5,         -- association + DHCP delay before got-ip
  reboot_ms = 100,     -- time from reset to the app running again
  max_reboots = 20,    -- after that many reboots the board is halted (a boot loop stays bounded)
  sent_delay_ms = 0,   -- "sent" fires this long after the data was handed to the kernel (0: next task)
  rtos_tick_ms = 10,   -- ESP32 FreeRTOS tick: tmr intervals are whole ticks
  wdt_ms = 3000,       -- a callback running this long is reset by the watchdog
  onerror_restart_ms = 2000, -- the default onerror handler restarts 2 s after reporting
  clock_offset_us = 0, -- added to the ESP8266 tmr.now() clock (to reach its 31-bit wrap sooner)
  heap_check_ms = 5,   -- minimum time between heap walks after callbacks (0: after every callback)
}

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- Report details are one line: backslash, control bytes and bytes >= 0x7f become escapes.
local function escape(s)
  return (s:gsub("[%z\1-\31\\\127-\255]", function(c)
    if c == "\\" then return "\\\\" end
    if c == "\n" then return "\\n" end
    if c == "\r" then return "\\r" end
    if c == "\t" then return "\\t" end
    return string.format("\\%03d", c:byte())
  end))
end
M.escape = escape

local function int(x)
  return floor(x)
end
M.int = int

-- ------------------------------------------------------------------------------------------------
-- Scheduler: entries { due, seq, prio, board, gen, fn }. Future entries sit in a binary heap keyed
-- by (due, seq); due ones move to one FIFO per task priority; the highest priority runs first.

local Host = {}
Host.__index = Host

local function heap_less(a, b)
  if a.due ~= b.due then return a.due < b.due end
  return a.seq < b.seq
end

function Host:_heap_push(e)
  local h = self.timers
  local i = #h + 1
  h[i] = e
  while i > 1 do
    local p = floor(i / 2)
    if heap_less(h[i], h[p]) then
      h[i], h[p] = h[p], h[i]
      i = p
    else
      break
    end
  end
end

function Host:_heap_pop()
  local h = self.timers
  local n = #h
  local top = h[1]
  h[1] = h[n]
  h[n] = nil
  n = n - 1
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= n and heap_less(h[l], h[m]) then m = l end
    if r <= n and heap_less(h[r], h[m]) then m = r end
    if m == i then break end
    h[i], h[m] = h[m], h[i]
    i = m
  end
  return top
end

function Host:clock()
  return (socket.gettime() - self.t0) * 1000
end

-- Runs fn after delay_ms (as a task of priority prio). With a board, the entry is dropped when that
-- board reboots before it is due. Returns the entry; set entry.cancelled to drop it.
function Host:at(delay_ms, prio, board, fn)
  self.seq = self.seq + 1
  local e = { due = self:clock() + (delay_ms or 0), seq = self.seq, prio = prio or M.MEDIUM, board = board,
    gen = board and board.gen, fn = fn }
  self:_heap_push(e)
  return e
end

-- Posts fn as a task of priority prio (runs after the current callback, before later timers).
function Host:post(prio, board, fn)
  self.seq = self.seq + 1
  local e = { due = 0, seq = self.seq, prio = prio or M.MEDIUM, board = board, gen = board and board.gen, fn = fn }
  local q = self.ready[e.prio]
  q.last = q.last + 1
  q[q.last] = e
  return e
end

function Host:_promote_due()
  local now = self:clock()
  local h = self.timers
  while h[1] and h[1].due <= now do
    local e = self:_heap_pop()
    local q = self.ready[e.prio]
    q.last = q.last + 1
    q[q.last] = e
  end
end

function Host:_next_ready()
  for p = M.HIGH, M.LOW, -1 do
    local q = self.ready[p]
    if q.first <= q.last then
      local e = q[q.first]
      q[q.first] = nil
      q.first = q.first + 1
      return e
    end
  end
end

function Host:_ready_empty()
  for p = M.LOW, M.HIGH do
    local q = self.ready[p]
    if q.first <= q.last then return false end
  end
  return true
end

-- ------------------------------------------------------------------------------------------------
-- Reports

function Host:report(who, kind, detail)
  local id = type(who) == "table" and who.id or who or "-"
  if (kind == "print" or kind == "panic") and type(who) == "table" and who.console then
    who.console:write(tostring(detail) .. "\n") -- what the board prints goes to its UART console
  end
  detail = detail ~= nil and escape(tostring(detail)) or ""
  self.report_fn(id, kind, detail)
end

function Host:fault(board, rule, detail)
  self:report(board, "fault", detail and (rule .. " " .. detail) or rule)
end

-- ------------------------------------------------------------------------------------------------
-- Boards

local WDT = setmetatable({}, { __tostring = function() return "watchdog reset" end })

function Host:_hook()
  local b = self.current
  if b and (b.wdt_tripped or self:clock() - (b.cb_started or self:clock()) > b.wdt_ms) then
    b.wdt_tripped = true
    error(WDT, 0)
  end
end

local function source_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("*a")
  f:close()
  return s
end

function Host:read_source(path)
  local s = self.sources[path]
  if not s then
    local err
    s, err = source_file(path)
    if not s then return nil, err end
    self.sources[path] = s
  end
  return s
end

-- Bytes a source's compiled code takes, by source: measuring needs two full collections, which with many
-- boards in one process made each boot slower than the last (the heap every collection walks grows with
-- the fleet); the same source compiles to the same code, so it is measured once per process.
local code_bytes_of = {}

local function measured_compile(src, chunkname, env)
  local known = code_bytes_of[src]
  if known then
    local fn, err = env_lib.compile(src, chunkname, env)
    return fn, err, known
  end
  collectgarbage("collect")
  local before = collectgarbage("count")
  local fn, err = env_lib.compile(src, chunkname, env)
  collectgarbage("collect")
  local bytes = floor(math.max(0, collectgarbage("count") - before) * 1024)
  if fn then code_bytes_of[src] = bytes end
  return fn, err, bytes
end

-- On a board that loads code from its files, a compile needing more RAM than is free fails as
-- luaM_realloc does on the device: "not enough memory".
function Host:_out_of_memory(board, bytes)
  return board.fs ~= nil and self:board_used(board) + bytes > board.heap_budget
end

-- Compiles src with the board's globals without charging it: console lines, and node.compile
-- (check_memory: the compiled code must fit in the free heap while it exists).
function Host:load_chunk(board, src, chunkname, check_memory)
  if not check_memory then return env_lib.compile(src, chunkname, board.env) end
  local fn, err, bytes = measured_compile(src, chunkname, board.env)
  if fn and self:_out_of_memory(board, bytes) then return nil, "not enough memory" end
  return fn, err
end

-- Compiles src as a chunk of this board (its own globals). charge: count the compiled code against
-- the board's heap (RAM), else against its LFS figure (flash).
function Host:compile(board, src, chunkname, charge, env)
  local fn, err, bytes = measured_compile(src, chunkname, env or board.env)
  if fn then
    if charge then
      if self:_out_of_memory(board, bytes) then return nil, "not enough memory" end
      board.code_bytes = board.code_bytes + bytes
    else
      board.lfs_bytes = board.lfs_bytes + bytes
    end
  end
  return fn, err
end

-- Makes a traceback look like the device's: frames of the emulated API (C functions on the device)
-- become "[C]: in function 'name'", and it ends where the emulator called the callback.
local function clean_traceback(tb)
  -- the message (it may span lines) stays as it is; only the frames after the last marker are cleaned
  local marker, at, from = "\nstack traceback:\n", nil, 1
  while true do
    local i = tb:find(marker, from, true)
    if not i then break end
    at, from = i, i + 1
  end
  if not at then return tb end
  local lines = {}
  for line in (tb:sub(at + #marker) .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = line end
  local out, user, api = { tb:sub(1, at - 1), "stack traceback:" }, false, nil
  for i, line in ipairs(lines) do
    local ours = line:find(DIR, 1, true) or line:find("in function 'xpcall'", 1, true)
    if ours then
      if user then break end
      api = line:match("in %a+ '([^']+)'") or "?" -- the outermost one is what the app called
    elseif line:find("^%s*%[C%]: in function 'error'$") and lines[i + 1] and lines[i + 1]:find(DIR, 1, true) then
      -- error() raised by the emulated API: on the device that is luaL_error inside the C function
    else
      if api then
        out[#out + 1] = "\t[C]: in function '" .. api .. "'"
        api = nil
      end
      user = true
      out[#out + 1] = line
    end
  end
  return table.concat(out, "\n")
end

local function same(f)
  return f
end

function Host:is_wdt(e)
  return e == WDT
end

-- debug.traceback(msg) for an error handler's caller, cleaned as the device would show it.
function Host:traceback(msg)
  return clean_traceback(debug.traceback(msg, 3))
end

local function error_handler(err)
  if err == WDT then return { wdt = true } end
  local msg = (type(err) == "string" or type(err) == "number") and tostring(err) or "(error object is a " .. type(err) .. " value)"
  return { msg = msg, tb = clean_traceback(debug.traceback(msg, 2)) }
end

-- Calls fn(...) as a callback of board. protected: the firmware calls it through luaL_pcallx (errors
-- go to the onerror hook); otherwise with lua_call (an error is a PANIC and the board reboots).
-- Returns true when fn returned normally.
function Host:invoke(board, protected, fn, ...)
  if board.state ~= "running" then return false end
  local args = { n = select("#", ...), ... }
  -- the watchdog's start is set before the board becomes current: the count hook (_hook) can run in
  -- between, inside self:clock(), and would find a board without one
  board.cb_started = self:clock()
  board.wdt_tripped = false
  local outer = self.current
  self.current = board
  -- called through same() so tracebacks name the callback "function <file:line>", as on the device
  local ok, e = xpcall(function() same(fn)(unpack(args, 1, args.n)) end, error_handler)
  self.current = outer
  if not ok then
    if e.wdt then
      self:reboot(board, "wdt", "callback ran longer than " .. board.wdt_ms .. " ms")
      return false
    end
    if protected == "init" then
      -- init.lua runs through docall(): the traceback is printed, no restart (lua.c)
      self:report(board, "crash", e.tb)
      self:report(board, "print", e.tb)
    elseif protected then
      self:protected_error(board, e.tb)
    else
      self:report(board, "panic", "PANIC: unprotected error in call to Lua API (" .. e.msg .. ")")
      self:reboot(board, "panic", e.msg)
      return false
    end
  end
  self:after_callback(board)
  return ok
end

-- luaL_pcallx's error path: the traceback goes, in a posted high-priority task, to the onerror hook.
-- The default hook prints it and restarts the board 2 s later (node.c default_onerror).
function Host:protected_error(board, tb)
  self:report(board, "crash", tb)
  self:post(M.HIGH, board, function()
    local hook = board.onerror
    if hook then
      -- Called unprotected from a task on the device; an error here would loop, so just report it.
      local ok, e = xpcall(function() same(hook)(tb) end, error_handler)
      if not ok and not e.wdt then
        self:report(board, "crash", e.tb)
      end
      self:after_callback(board)
    else
      self:report(board, "print", tb)
      if not board.onerror_restart then
        board.onerror_restart = self:at(board.onerror_restart_ms, M.HIGH, board, function()
          self:reboot(board, "onerror", "default node.setonerror handler")
        end)
      end
    end
  end)
end

function Host:board_used(board)
  local b = board
  local roots = { b.env, b.package, b.loaded }
  for _, st in pairs(b.sockets) do roots[#roots + 1] = st.obj end
  for obj in pairs(b.running_timers) do roots[#roots + 1] = obj end
  for _, f in pairs(b.pending_tasks) do roots[#roots + 1] = f end
  for _, f in pairs(b.wifi_cbs) do roots[#roots + 1] = f end
  if b.onerror then roots[#roots + 1] = b.onerror end
  for _, v in ipairs(b.extra_roots) do roots[#roots + 1] = v end
  local data = heap.measure(roots, b.rom, self.opaque, b.model)
  local buffers = 0
  for st in pairs(b.all_sockets) do
    buffers = buffers + (st.inflight_bytes or 0) + (st.rx_pending or 0)
  end
  b.last_walk = self:clock()
  b.used = data + b.code_bytes + buffers
  b.used_data, b.used_buffers = data, buffers
  return b.used
end

function Host:heap_free(board)
  return board.heap_budget - self:board_used(board)
end

function Host:after_callback(board)
  if board.state ~= "running" then return end
  if board.restart_requested then
    self:reboot(board, "restart", "node.restart()")
    return
  end
  board.heap_dirty = true
  if self:clock() - (board.last_walk or -1e9) >= board.heap_check_ms then
    self:check_heap(board)
  end
end

-- Reboots the board when what it uses exceeds its budget (an allocation would fail on the device).
function Host:check_heap(board)
  board.heap_dirty = false
  local used = self:board_used(board)
  if used > board.heap_budget then
    self:reboot(board, "heap", string.format("used=%d budget=%d data=%d code=%d buffers=%d",
      used, board.heap_budget, board.used_data, board.code_bytes, board.used_buffers))
  end
end

function Host:_shutdown_board(board)
  board.state = "off"
  board.gen = board.gen + 1
  for st in pairs(board.all_sockets) do
    if st.tcp then
      st.tcp:close()
      self.io[st] = nil
      st.tcp = nil
    end
  end
  board.all_sockets = setmetatable({}, { __mode = "k" })
  board.sockets = {}
  board.running_timers = {}
  board.pending_tasks = {}
  board.wifi_cbs = {}
  board.onerror = nil
  board.onerror_restart = nil
end

function Host:reboot(board, reason, detail)
  if board.state ~= "running" then return end
  if board.console then board.console:on_reboot(reason) end
  self:report(board, "reboot", detail and (reason .. " " .. detail) or reason)
  self:_shutdown_board(board)
  board.last_reset = reason
  board.reboots = board.reboots + 1
  if board.reboots > board.max_reboots then
    self:report(board, "halt", "more than " .. board.max_reboots .. " reboots")
    board.state = "halted"
    return
  end
  self:at(board.reboot_ms, M.HIGH, nil, function() self:boot(board) end)
end

-- The reset pin (the simulator's `reset` fault): held (down) the board is off, its state gone; released
-- (up) it boots from scratch with reason "external". External resets do not count towards max_reboots.
function Host:reset_pin(board, down)
  if down and board.state == "running" then
    self:report(board, "reboot", "external reset pin")
    self:_shutdown_board(board)
    board.state = "held"
    board.last_reset = "external"
  elseif not down and board.state == "held" then
    self:boot(board)
  end
end

-- The access point of the board's station goes away (up = false) or comes back (api_wifi.lua).
function Host:wifi_ap(board, up)
  board.ap_down = not up
  if board.state == "running" and board.wifi_ap then board.wifi_ap(up) end
end

function Host:boot(board)
  board.gen = board.gen + 1
  board.state = "running"
  board.boots = board.boots + 1
  board.boot_clock = self:clock()
  board.code_bytes, board.lfs_bytes = 0, 0
  board.restart_requested = false
  board.onerror = nil
  board.onerror_restart = nil
  board.last_walk = nil
  board.sockets, board.running_timers, board.pending_tasks, board.wifi_cbs = {}, {}, {}, {}
  board.all_sockets = setmetatable({}, { __mode = "k" })
  board.extra_roots = {}
  env_lib.install(self, board) -- board.env, board.rom, board.loaded, board.package, modules
  self:report(board, "boot", string.format("%d reason=%s chip=%s lua=%s budget=%d", board.boots,
    board.last_reset or "power-on", board.chip, LUA_VERSION, board.heap_budget))
  if board.console then
    board.console:boot() -- a console board runs init.lua from its files, then serves the prompt
    return
  end
  local src, name = board.app_source, "=init"
  if not src and board.app then
    local err
    src, err = self:read_source(board.app)
    if not src then
      self:report(board, "crash", "cannot read app " .. tostring(board.app) .. ": " .. tostring(err))
      return
    end
    name = "@" .. (board.app:match("([^/\\]+)$") or board.app)
  end
  if not src then return end
  -- With app_lfs the app is an LFS module too (an init.lua stub runs it from flash, nodemcu.md §8).
  local fn, err = self:compile(board, src, name, not board.app_lfs)
  if fn and board.app_lfs then env_lib.rom_strings(board.rom, src) end
  if not fn then
    self:report(board, "crash", err)
    self:report(board, "print", err)
    return
  end
  self:invoke(board, "init", fn)
end

-- ------------------------------------------------------------------------------------------------
-- I/O: sockets of the boards (api_net.lua registers them in self.io) and extra watched sockets.

function Host:watch(sock, on_readable)
  self.watched[sock] = on_readable
end

function Host:unwatch(sock)
  self.watched[sock] = nil
end

function Host:_io(timeout_s)
  local recvt, sendt = {}, {}
  local owner = {}
  for st in pairs(self.io) do
    if st.tcp then
      if st.flush then st:flush() end
      if st.tcp then
        if st.wants_read and st:wants_read() then
          recvt[#recvt + 1] = st.tcp
          owner[st.tcp] = st
        end
        if st.wants_write and st:wants_write() then
          sendt[#sendt + 1] = st.tcp
          owner[st.tcp] = st
        end
      end
    end
  end
  for sock in pairs(self.watched) do recvt[#recvt + 1] = sock end
  if #recvt == 0 and #sendt == 0 then
    if timeout_s > 0 then socket.sleep(timeout_s) end
    return
  end
  local r, w = socket.select(recvt, sendt, timeout_s)
  for _, sock in ipairs(w) do
    local st = owner[sock]
    if st and st.tcp == sock then st:on_writable() end
  end
  for _, sock in ipairs(r) do
    local st = owner[sock]
    if st then
      if st.tcp == sock then st:on_readable() end
    elseif self.watched[sock] then
      self.watched[sock](sock)
    end
  end
end

-- One loop turn: runs due callbacks (at most max_tasks), then waits for I/O at most max_wait_ms.
function Host:step(max_wait_ms)
  for st in pairs(self.io) do
    if st.flush then st:flush() end
  end
  self:_promote_due()
  local n = 0
  while n < 200 do
    local e = self:_next_ready()
    if not e then break end
    if not e.cancelled and (not e.board or (e.board.gen == e.gen and e.board.state == "running")) then
      e.fn()
    end
    n = n + 1
  end
  for _, b in ipairs(self.boards) do
    if b.heap_dirty and b.state == "running" and self:clock() - (b.last_walk or -1e9) >= b.heap_check_ms then
      self:check_heap(b)
    end
  end
  local wait = max_wait_ms or 50
  if not self:_ready_empty() then
    wait = 0
  elseif self.timers[1] then
    wait = math.min(wait, math.max(0, self.timers[1].due - self:clock()))
  end
  self:_io(wait / 1000)
  self:_heap_reports()
end

function Host:_heap_reports()
  if not self.heap_report_ms or self.heap_report_ms <= 0 then return end
  local now = self:clock()
  if now - self.last_heap_report < self.heap_report_ms then return end
  self.last_heap_report = now
  for _, b in ipairs(self.boards) do
    if b.state == "running" then
      local free = self:heap_free(b)
      self:report(b, "heap", string.format("%d used=%d data=%d code=%d buffers=%d lfs=%d", free, b.used,
        b.used_data, b.code_bytes, b.used_buffers, b.lfs_bytes))
    end
  end
end

function Host:run_until(pred, timeout_ms)
  local deadline = self:clock() + (timeout_ms or 5000)
  while not pred() do
    local left = deadline - self:clock()
    if left <= 0 then return false end
    self:step(math.min(20, left))
  end
  return true
end

-- Runs until duration_ms (spec) has passed, stop(reason) was called or should_stop() returns a reason.
function Host:run(should_stop)
  local duration = self.spec.duration_ms
  while not self.stopped do
    if duration and self:clock() >= duration then
      self.stopped = "duration"
      break
    end
    local reason = should_stop and should_stop()
    if reason then
      self.stopped = reason
      break
    end
    self:step(duration and math.min(50, math.max(0, duration - self:clock())) or 50)
  end
  return self.stopped
end

function Host:stop(reason)
  self.stopped = reason or "stop"
end

function Host:shutdown()
  for _, b in ipairs(self.boards) do
    if b.state == "running" then self:_shutdown_board(b) end
    if b.console then b.console:close() end
  end
  debug.sethook()
end

-- 1..n from the board's Park-Miller generator (exact in doubles and in 64-bit integers), seeded by the
-- spec: a board's receive chunking is reproducible.
function Host:random(board, n)
  board.rng = (board.rng * 16807) % 2147483647
  return board.rng % n + 1
end

function Host:board(id)
  return self.by_id[id]
end

-- ------------------------------------------------------------------------------------------------

function M.new(spec, opts)
  opts = opts or {}
  assert(type(spec) == "table", "spec must be a table")
  assert(type(spec.boards) == "table" and #spec.boards > 0, "spec.boards must list at least one board")
  local self = setmetatable({}, Host)
  self.spec = spec
  self.report_fn = opts.report or function(id, kind, detail)
    io.stdout:write("@@ ", id, " ", kind, detail ~= "" and " " or "", detail, "\n")
    io.stdout:flush()
  end
  self.t0 = socket.gettime()
  self.seq = 0
  self.timers = {}
  self.ready = { [0] = { first = 1, last = 0 }, [1] = { first = 1, last = 0 }, [2] = { first = 1, last = 0 } }
  self.io = {}
  self.watched = {}
  self.sources = {}
  self.opaque = setmetatable({}, { __mode = "k" })
  self.heap_report_ms = spec.heap_report_ms
  if self.heap_report_ms == nil then self.heap_report_ms = 1000 end
  self.last_heap_report = 0
  self.boards, self.by_id = {}, {}
  for i, bs in ipairs(spec.boards) do
    assert(type(bs.id) == "string" and bs.id:match("^%S+$"), "board " .. i .. ": id must be a string without spaces")
    assert(not self.by_id[bs.id], "duplicate board id " .. bs.id)
    assert(bs.chip == "esp8266" or bs.chip == "esp32", "board " .. bs.id .. ": chip must be esp8266 or esp32")
    local b = copy(DEFAULTS)
    for k, v in pairs(bs) do b[k] = v end
    b.spec = bs
    b.index = i
    b.modules = bs.modules or {}
    b.model = heap.model(LUA_VERSION)
    b.gen, b.boots, b.reboots = 0, 0, 0
    b.state = "off"
    b.seed = (floor(b.seed) % 2147483646) + 1
    b.rng = b.seed
    if b.ip_at_boot == nil then b.ip_at_boot = (b.chip == "esp8266") end
    b.ip = b.ip or string.format("192.168.%d.%d", 1 + math.floor((100 + i) / 256), (100 + i) % 256)
    self.boards[i] = b
    self.by_id[b.id] = b
    if bs.fs then b.fs = fs_lib.new(bs.fs) end
    if bs.console then
      assert(b.fs, "board " .. bs.id .. ": a console board needs fs = { dir = ... }")
      b.console = console_lib.new(self, b, bs.console)
    end
  end
  debug.sethook(function() self:_hook() end, "", 10000)
  self:report(nil, "start", string.format("lua=%s boards=%d", LUA_VERSION, #self.boards))
  for _, b in ipairs(self.boards) do
    if b.console then self:report(b, "console", string.format("port=%d", b.console.port)) end
  end
  if opts.boot ~= false then self:boot_all() end
  return self
end

-- Powers on every board (emulator.new does it unless opts.boot == false).
function Host:boot_all()
  for _, b in ipairs(self.boards) do
    if b.state == "off" and b.boots == 0 then self:boot(b) end
  end
end


return M
