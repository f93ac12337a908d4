-- net: TCP client sockets, after app/modules/net.c (ESP8266 `release`, raw lwIP) and
-- components/modules/net.c (ESP32 `dev-esp32`, netconn). Real sockets to 127.0.0.1 only (LuaSocket,
-- non-blocking), driven by the emulator's select loop.
--
-- Creation: ESP8266 net.createConnection() ignores its arguments. ESP32 net.createConnection([type[,
-- secure]]): type net.TCP (1) by default, net.UDP is not emulated, any other type raises "invalid type",
-- and a non-zero `secure` raises "secure connections not yet supported" (dev-esp32 has no TLS).
--
-- Methods: connect(port, host) (ESP8266: optional 3rd argument = "connection" callback), on(event, fn
-- or nil), send(data[, fn]), close(), getpeer(), getaddr(), dns(name, fn); ESP8266 also hold(),
-- unhold(), ttl([n]). Events, always from the event loop, never inside the call that caused them:
--   "connection"    fn(sck)
--   "receive"       fn(sck, data): the bytes arrive in chunks of 1..recv_chunk_max, cut at positions
--                   drawn from the board's seeded generator (mid-line, between \r and \n, anywhere)
--   "sent"          fn(sck): once per send, after its bytes were handed to the kernel
--   "disconnection" fn(sck, err): err 0 for a close by the peer; for an error (reset, refused) only
--                   when no "reconnection" handler is registered
--   "reconnection"  fn(sck, err): errors (lwIP ERR_RST: -9 on ESP8266's lwIP 1.4, -14 on ESP32's lwIP 2)
-- A close() by the app fires nothing. Pending receive chunks of a closed socket are dropped.
--
-- Rules enforced (nodemcu.md §4 "Client rule"); each violation raises a Lua error in the caller, as
-- the device does, AND reports a `fault` line:
--   send("")                     → "no data to send"
--   send before connect(), after close() or after a disconnection → "not connected"
--   send after connect() but before "connection" → fault send-before-connection; ESP8266 raises
--                                  "not connected" (the device would queue it: see report), ESP32
--                                  raises "in progress" (netconn still connecting)
--   a second send while one is in flight (before its "sent") → fault send-in-flight; raises "out of
--                                  memory" (ESP8266 tcp_write) / "buffer error" (ESP32)
--   a send larger than send_max (1460) → fault send-too-large; same messages
--   connect() before the board has an IP → fault connect-without-ip; the socket never connects
--                                  (lwIP has no route and the firmware ignores the error)
-- Device quirks kept: close() on a socket that is not connected raises "not connected" (ESP8266: also
-- inside the disconnection handler, because the firmware drops the pcb before calling it); connect()
-- on a connected socket raises "already connected" (ESP32: also after a disconnection until close()).
-- Callback errors: ESP8266 net callbacks are called unprotected (lua_call): an error is a PANIC and
-- the board reboots. ESP32 net callbacks are protected (luaL_pcallx): the onerror hook gets it.
local socket = require("socket")

local M = {}

local ERR_RST = { esp8266 = -9, esp32 = -14 }
-- ERR_ABRT: a connection lwIP aborted, as when the station's address goes away (api_wifi.lua)
local ERR_ABRT = { esp8266 = -8, esp32 = -13 }
local EVENTS = { connection = true, disconnection = true, reconnection = true, receive = true, sent = true, dns = true }

local function argerr(n, fname, msg)
  error(string.format("bad argument #%d to '%s' (%s)", n, fname, msg), 0)
end

local function typename(v)
  return v == nil and "no value" or type(v)
end

local function resolve(host)
  if host == "localhost" then return "127.0.0.1" end
  if host:match("^127%.%d+%.%d+%.%d+$") then return host end
  return nil
end

function M.create(host, board)
  local esp32 = board.chip == "esp32"
  local protected = esp32 -- ESP8266: lua_call (panic); ESP32: luaL_pcallx
  local err_rst = ERR_RST[board.chip]
  local states = host.opaque
  local methods = {}
  local mt = { __index = methods, __tostring = function(o) return "net.tcpsocket: " .. (tostring(states[o]):match("0x%x+") or "?") end }

  local function st_of(obj)
    local st = type(obj) == "table" and states[obj]
    if not st or st.kind ~= "socket" then error("invalid user data", 0) end
    return st
  end

  local S = {} -- socket state methods (used by the emulator's I/O loop)
  S.__index = S

  -- The firmware's self_ref: while connecting/connected it keeps the socket (and its callbacks) alive.
  function S:hold_ref(obj)
    self.obj = obj
    board.sockets[self] = self
  end

  function S:drop_ref()
    self.obj = nil
    board.sockets[self] = nil
  end

  function S:close_tcp()
    if self.tcp then
      self.tcp:close()
      self.tcp = nil
      host.io[self] = nil
    end
    self.out = nil
  end

  -- The TCP receive window: lwIP buffers at most this much the app has not taken yet, and the peer
  -- waits (flow control) instead of filling the heap. lwIP's defaults: TCP_WND = 4 * TCP_MSS = 5840 B on
  -- ESP8266, CONFIG_LWIP_TCP_WND_DEFAULT = 5744 B on ESP32 (assumption: the firmware keeps them).
  local RECV_WINDOW = esp32 and 5744 or 5840

  function S:wants_read()
    return self.phase == "connected" and not self.held and self.rx_pending < RECV_WINDOW
  end

  function S:wants_write()
    return self.phase == "connecting" or (self.phase == "connected" and self.out ~= nil)
  end

  -- Hands queued data to the kernel (between callbacks only, so data leaves after the callback that
  -- sent it has returned); "sent" is scheduled once all of it is out.
  function S:flush()
    if self.phase ~= "connected" or not self.out then return end
    local last, err, partial = self.tcp:send(self.out, self.out_pos + 1)
    last = last or partial or self.out_pos
    self.out_pos = last
    if self.out_pos >= #self.out then
      local conn = self.conn
      self.out, self.out_pos = nil, 0
      local function sent()
        if self.conn ~= conn then return end
        self.inflight, self.inflight_bytes = false, 0
        local fn = self.cb.sent
        if fn and self.obj and self.pcb then host:invoke(board, protected, fn, self.obj) end
      end
      -- ESP8266: lwIP calls sent and recv directly, the ACK before data that comes with it, so "sent"
      -- keeps its place among the receives. ESP32 posts SENDPLUS at medium and RCVPLUS at high
      -- priority: there a receive can overtake "sent".
      local prio = esp32 and 1 or 2
      if board.sent_delay_ms > 0 then host:at(board.sent_delay_ms, prio, board, sent) else host:post(prio, board, sent) end
    elseif err and err ~= "timeout" then
      self.out = nil -- the reader will see the reset
    end
  end

  function S:on_writable()
    if self.phase == "connecting" then
      if self.tcp:getpeername() then
        self.phase = "connected"
        local conn = self.conn
        host:report(board, "net", "connected " .. self.ip .. ":" .. self.port)
        host:post(1, board, function()
          if self.conn ~= conn then return end
          local fn = self.cb.connection
          if fn and self.obj then host:invoke(board, protected, fn, self.obj) end
        end)
      else
        self:fail(err_rst, "refused")
      end
    else
      self:flush()
    end
  end

  -- An lwIP error (reset, refused): the err callback fires after any pending receive chunks.
  function S:fail(code, why)
    self.phase = "dead"
    self:close_tcp()
    host:report(board, "net", "error " .. code .. " " .. why)
    self:post_err(code)
  end

  -- The station lost its address: every connection bound to it is aborted (tcp_abort: the err callback
  -- with ERR_ABRT, called from within lwIP, so before any other callback of the board), and a connect still
  -- waiting for a route fails the same way.
  function board.net_abort(why)
    local code = ERR_ABRT[board.chip]
    for st in pairs(board.sockets) do
      if st.phase == "connecting" or st.phase == "connected" or st.phase == "stuck" then
        st.phase = "dead"
        st:close_tcp()
        host:report(board, "net", "error " .. code .. " " .. why)
        st:err_now(code)
      end
    end
  end

  function S:err_now(code)
    local obj = self.obj
    self.phase = "dead"
    self.inflight, self.inflight_bytes = false, 0
    if not esp32 then self.pcb = false end -- net_err_cb: ud->pcb = NULL before the callback
    self:drop_ref()
    local fn = (code ~= 0 and self.cb.reconnection) or self.cb.disconnection
    if fn then host:invoke(board, protected, fn, obj, code) end
  end

  function S:post_err(code)
    local conn = self.conn
    host:post(1, board, function()
      if self.conn ~= conn then return end
      self:err_now(code)
    end)
  end

  function S:on_readable()
    local data, err, partial = self.tcp:receive(math.max(1, RECV_WINDOW - self.rx_pending))
    data = data or partial
    if data and #data > 0 then self:deliver(data) end
    if err == "closed" then
      -- The peer's FIN: its data before it is still delivered, and until the disconnection the pcb
      -- stays valid, so a send from those receive callbacks is accepted (it goes nowhere) as on the
      -- device, where lwIP runs the receive callbacks before the close (nodemcu.md §4).
      self.phase = "peer-closed"
      self:close_tcp()
      host:report(board, "net", "closed-by-peer")
      self:post_err(0)
    elseif err and err ~= "timeout" then
      self:fail(err_rst, err)
    end
  end

  -- Cuts data into receive events of 1..recv_chunk_max bytes at seeded-random positions.
  function S:deliver(data)
    local max = board.recv_chunk_max
    local conn = self.conn
    local at = 1
    while at <= #data do
      local left = #data - at + 1
      local cap = math.min(left, max)
      local len
      if host:random(board, 10) <= 4 then len = cap else len = host:random(board, cap) end
      local chunk = data:sub(at, at + len - 1)
      at = at + len
      self.rx_pending = self.rx_pending + #chunk
      host:post(2, board, function()
        if self.conn ~= conn then return end
        self.rx_pending = self.rx_pending - #chunk
        local fn = self.cb.receive
        if fn and self.obj and self.pcb then host:invoke(board, protected, fn, self.obj, chunk) end
      end)
    end
  end

  function methods.on(obj, event, fn)
    local st = st_of(obj)
    if type(event) ~= "string" then argerr(1, "on", "string expected, got " .. typename(event)) end
    if not EVENTS[event] then error("invalid callback name", 0) end
    if fn ~= nil and type(fn) ~= "function" then error("invalid callback function", 0) end
    st.cb[event] = fn
  end

  function methods.connect(obj, port, hostname, ...)
    local st = st_of(obj)
    if st.pcb then error("already connected", 0) end
    if type(port) ~= "number" and not (type(port) == "string" and tonumber(port)) then
      argerr(1, "connect", "number expected, got " .. typename(port))
    end
    port = math.floor(tonumber(port)) % 65536
    if port == 0 then error("specify port", 0) end
    hostname = (type(hostname) == "string" or type(hostname) == "number") and tostring(hostname) or "127.0.0.1"
    if not esp32 and select("#", ...) > 0 then
      local fn = ...
      if type(fn) ~= "function" then argerr(3, "connect", "not a function") end
      st.cb.connection = fn
    end
    st.pcb = true
    st.conn = st.conn + 1
    st.phase = "connecting"
    st.port = port
    st.inflight, st.inflight_bytes = false, 0
    st:hold_ref(obj)
    if not board.has_ip() then
      host:fault(board, "connect-without-ip", hostname .. ":" .. port .. " (no route until got-ip; never connects)")
      st.phase = "stuck"
      return
    end
    local ip = resolve(hostname)
    if not ip then
      host:report(board, "net", "blocked " .. hostname .. ":" .. port .. " (the emulator only reaches 127.0.0.1)")
      st.phase = "stuck"
      return
    end
    st.ip = ip
    host:report(board, "net", "connect " .. ip .. ":" .. port)
    local tcp = socket.tcp()
    tcp:settimeout(0)
    tcp:setoption("tcp-nodelay", true)
    st.tcp = tcp
    host.io[st] = true
    local ok, err = tcp:connect(ip, port)
    if ok then
      st:on_writable()
    elseif err ~= "timeout" then
      st:fail(err_rst, err)
    end
  end

  function methods.send(obj, data, fn)
    local st = st_of(obj)
    if type(data) == "number" then data = tostring(data) end
    if type(data) ~= "string" then argerr(1, "send", "string expected, got " .. typename(data)) end
    if #data == 0 then error("no data to send", 0) end
    if type(fn) == "function" then st.cb.sent = fn end
    if not st.pcb or not st.obj then error("not connected", 0) end
    local oom = esp32 and "buffer error" or "out of memory"
    if st.phase == "peer-closed" then
      if st.inflight then
        host:fault(board, "send-in-flight", string.format("bytes=%d pending=%d (wait for \"sent\")", #data, st.inflight_bytes))
        error(oom, 0)
      end
      host:report(board, "net", string.format("send-after-peer-close bytes=%d", #data))
      st.inflight, st.inflight_bytes = true, #data
      return
    end
    if st.phase ~= "connected" then
      host:fault(board, "send-before-connection", string.format("bytes=%d", #data))
      error(esp32 and "in progress" or "not connected", 0)
    end
    if st.inflight then
      host:fault(board, "send-in-flight", string.format("bytes=%d pending=%d (wait for \"sent\")", #data, st.inflight_bytes))
      error(oom, 0)
    end
    if #data > board.send_max then
      host:fault(board, "send-too-large", string.format("bytes=%d max=%d", #data, board.send_max))
      error(oom, 0)
    end
    st.out, st.out_pos = data, 0
    st.inflight, st.inflight_bytes = true, #data
  end

  function methods.close(obj)
    local st = st_of(obj)
    if not st.pcb then error("not connected", 0) end
    if st.tcp and st.out and st.phase == "connected" then
      st.tcp:send(st.out, st.out_pos + 1) -- tcp_close still sends what was queued (best effort here)
    end
    if st.tcp then host:report(board, "net", "close") end
    st.pcb = false
    st.phase = "idle"
    st.conn = st.conn + 1
    st.inflight, st.inflight_bytes, st.rx_pending = false, 0, 0
    st:close_tcp()
    st:drop_ref()
  end

  function methods.getpeer(obj)
    local st = st_of(obj)
    if not st.pcb or (esp32 and st.phase ~= "connected" and st.phase ~= "dead") then return nil, nil end
    return st.port, st.ip or "0.0.0.0"
  end

  function methods.getaddr(obj)
    local st = st_of(obj)
    if not st.pcb or not st.tcp or st.phase ~= "connected" then return nil, nil end
    local _, lport = st.tcp:getsockname()
    return math.floor(tonumber(lport) or 0), board.ip
  end

  function methods.dns(obj, name, fn)
    local st = st_of(obj)
    if type(name) ~= "string" then argerr(1, "dns", "string expected, got " .. typename(name)) end
    if type(fn) == "function" then st.cb.dns = fn end
    if not st.cb.dns then error("no callback specified", 0) end
    local o = obj
    host:post(1, board, function()
      local f = st.cb.dns
      if f then host:invoke(board, protected, f, o, resolve(name)) end
    end)
  end

  if not esp32 then
    function methods.hold(obj)
      local st = st_of(obj)
      if st.tcp then st.held = true end
    end
    function methods.unhold(obj)
      local st = st_of(obj)
      if st.tcp then st.held = false end
    end
    function methods.ttl(obj, n)
      local st = st_of(obj)
      if not st.pcb then error("socket is not open/bound yet", 0) end
      if n ~= nil then st.ttl = math.floor(n) end
      return st.ttl
    end
  end

  local net = { TCP = 1, UDP = 2 }

  local function new_socket()
    local obj = setmetatable({}, mt)
    local st = setmetatable({ kind = "socket", board = board, cb = {}, pcb = false, phase = "idle", conn = 0,
      out_pos = 0, inflight = false, inflight_bytes = 0, rx_pending = 0, held = false, ttl = 128, size = 64 }, S)
    st.children = function()
      local c = {}
      for _, f in pairs(st.cb) do c[#c + 1] = f end
      return c
    end
    states[obj] = st
    board.all_sockets[st] = true
    return obj
  end

  function net.createConnection(kind, secure)
    if esp32 then
      if kind ~= nil and type(kind) ~= "number" then argerr(1, "createConnection", "number expected, got " .. type(kind)) end
      if secure ~= nil and type(secure) ~= "number" then argerr(2, "createConnection", "number expected, got " .. type(secure)) end
      kind = kind or 1
      if kind == 2 then error("net.createConnection(net.UDP): UDP sockets are not emulated", 0) end
      if kind ~= 1 then error("invalid type", 0) end
      if secure and secure ~= 0 then error("secure connections not yet supported", 0) end
    end
    return new_socket()
  end

  local function not_emulated(name)
    return function() error(name .. " is not emulated", 0) end
  end
  net.createServer = not_emulated("net.createServer")
  net.createUDPSocket = not_emulated("net.createUDPSocket")
  net.dns = {
    resolve = function(name, fn)
      if type(name) ~= "string" then argerr(1, "resolve", "string expected, got " .. typename(name)) end
      if type(fn) ~= "function" then argerr(2, "resolve", "function expected, got " .. typename(fn)) end
      host:post(1, board, function() host:invoke(board, true, fn, resolve(name)) end)
    end,
  }

  return net
end

return M
