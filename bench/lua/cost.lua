-- One measured Lua run for bench/lua-cost.js, under valgrind's callgrind: connect to nats-server, then
-- `ops` publishes or deliveries, through the nats-mcu Lua test build over a LuaSocket transport
-- (client "nats-mcu") or through a bare LuaSocket floor (client "raw"). The cost of one operation is
-- (instructions of a run with N ops - of a run with 0 ops) / N: startup, connect and teardown cancel.
-- Every run builds the same N distinct payloads, so interning hides nothing and building them cancels.
-- Publishes go `turn` per turn of the loop: the write that completed is reported to the client after
-- each turn, as a board's event loop reports "sent" once the app's callback returns.
--   lua cost.lua <client> <pub|sub> <build.lua> <host> <port> <N> <ops> <id> [turn]
local socket = require("socket")

local client, what, build, host, port, n, ops, id = arg[1], arg[2], arg[3], arg[4], tonumber(arg[5]), tonumber(arg[6]), tonumber(arg[7]), arg[8]
local turn = tonumber(arg[9] or "1")
local SUBJECT = "bench.pub." .. id
local INBOX = "bench.in." .. id

local payloads = {}
for i = 1, n do payloads[i] = string.format("p%015d", 100000000000000 + i) end

local function fail(msg)
  io.stderr:write("cost.lua: " .. msg .. "\n")
  os.exit(2)
end

-- Bytes available now (waits up to `wait` seconds for the first), or nil on timeout. Sockets block on
-- send (a bare sock:send writes everything) and are non-blocking only while receiving.
local function receive(sock, wait)
  local ready = socket.select({ sock }, nil, wait)
  if #ready == 0 then return nil end
  sock:settimeout(0)
  local data, err, partial = sock:receive(65536)
  sock:settimeout(nil)
  if data then return data end
  if err == "closed" then fail("the server closed the connection") end
  if partial ~= "" then return partial end
  return nil
end

local function send(sock, data)
  if not sock:send(data) then fail("send failed") end
end

-- The raw floor: the protocol written by hand, one send per publish; deliveries counted by a minimal
-- scan (MSG line, size, skip the payload).
local function raw()
  local sock = assert(socket.connect(host, port))
  local buf = ""
  while not buf:find("\r\n") do buf = buf .. (receive(sock, 5) or fail("no INFO")) end
  send(sock, 'CONNECT {"verbose":false,"pedantic":false}\r\n')
  if what == "pub" then
    -- the floor: a bare sock:send per message
    for i = 1, ops do
      if not sock:send("PUB " .. SUBJECT .. " 16\r\n" .. payloads[i] .. "\r\n") then fail("send failed") end
    end
  else
    local ready = INBOX .. " " .. ops
    send(sock, "SUB " .. INBOX .. " 1\r\nPUB bench.ready " .. #ready .. "\r\n" .. ready .. "\r\n")
    buf = ""
    local count, done = 0, false
    while not done do
      buf = buf .. (receive(sock, 10) or fail("deliveries stopped after " .. count))
      local at = 1
      while true do
        local s, e, size = buf:find("^MSG [^ ]+ %d+ (%d+)\r\n", at)
        if not s then break end
        local stop = e + tonumber(size) + 2
        if stop > #buf then break end
        if size == "3" and buf:sub(e + 1, e + 3) == "end" then done = true else count = count + 1 end
        at = stop + 1
      end
      buf = buf:sub(at)
    end
    if count ~= ops then fail("raw received " .. count .. " of " .. ops) end
  end
  sock:close()
end

local function natsmcu()
  local lib = dofile(build)
  local sock
  local written = false
  local transport = {}
  function transport:now() return 0 end
  function transport:open()
    sock = assert(socket.connect(host, port))
  end
  -- as a board's adapter hands a write to the socket: the send itself, and a note that "sent" is due
  function transport:write(data)
    if not sock:send(data) then fail("send failed") end
    written = true
  end
  function transport:close() sock:close() end
  lib.useTransport(transport, 1)
  lib.setChunk(1460)
  local c = lib.connect({ servers = "nats://" .. host .. ":" .. port, reconnect = false, pingInterval = 0, outBuffer = 65536 })
  local function pump()
    while written do
      written = false
      lib.adapterEvent(2, nil, 0)
    end
  end
  lib.adapterEvent(4, nil, 0)
  if not sock then fail("the client did not dial") end
  lib.adapterEvent(0, nil, 0)
  pump()
  while c:status() ~= "connected" do
    lib.adapterEvent(1, receive(sock, 5) or fail("not connected: " .. c:lastError()), 0)
    pump()
  end
  if what == "pub" then
    -- The loop turn, written out in place: what a board's firmware does between two turns (report the
    -- write that completed) costs here what the floor's loop costs, no call and no division of its own.
    -- "sent" goes to the core's handler itself, as the NodeMCU adapter registers it (firmware/nodemcu/io.ts)
    local sent = lib.writtenHandler()
    local k = 0
    for i = 1, ops do
      c:publish(SUBJECT, payloads[i])
      k = k + 1
      if k == turn then
        k = 0
        while written do
          written = false
          sent()
        end
      end
    end
    pump()
  else
    local count, done = 0, false
    c:subscribe(INBOX, function(_, payload)
      if payload == "end" then done = true else count = count + 1 end
    end)
    c:publish("bench.ready", INBOX .. " " .. ops)
    pump()
    while not done do
      lib.adapterEvent(1, receive(sock, 10) or fail("deliveries stopped after " .. count), 0)
      pump()
    end
    if count ~= ops then fail("nats-mcu received " .. count .. " of " .. ops) end
  end
  if c:lastError() ~= "" then fail("nats-mcu: " .. c:lastError()) end
  c:close()
  pump()
end

if client == "raw" then raw() else natsmcu() end
print("ok " .. ops)
