-- Lua heap bytes the client allocates per publish, per burst publish (the app faster than the socket),
-- and per delivery, measured with the collector stopped: collectgarbage("count") before and after n
-- operations on a connected client over the test adapter (test/build/io-test.ts). Payloads and wire
-- chunks are built beforehand, so only the library's allocations count.
local M = {}

local EV = { open = 0, recv = 1, written = 2, closed = 3, tick = 4 }
local INFO = 'INFO {"server_id":"S","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576} \r\n'

local function connected_client(lib, writes)
  local transport = {}
  function transport:now() return 0 end
  function transport:open() end
  function transport:write(data)
    writes.n = writes.n + 1
    writes.last = data
  end
  function transport:close() end
  lib.useTransport(transport, 1)
  local c = lib.connect({ servers = "nats://h:4222", reconnect = false, pingInterval = 0, outBuffer = 65536 })
  lib.adapterEvent(EV.tick, nil, 0)
  lib.adapterEvent(EV.open, nil, 0)
  lib.adapterEvent(EV.recv, INFO, 0)
  lib.adapterEvent(EV.written, nil, 0)
  lib.adapterEvent(EV.recv, "PONG\r\n", 0)
  return c
end

-- Calls nested depth deep: the CallInfo entries a full collection in Lua 5.3 frees (luaE_shrinkCI frees
-- half of the unused ones, 72 B each) are made again before counting: they are the interpreter's, and
-- whether a call chain needs one again depends on how deep earlier calls went, not on the library.
local function nest(depth)
  if depth > 0 then return nest(depth - 1) + 0 end
  return 0
end

local function measure(n, fn)
  collectgarbage("collect")
  collectgarbage("stop")
  nest(60)
  local before = collectgarbage("count")
  fn()
  local after = collectgarbage("count")
  collectgarbage("restart")
  return (after - before) * 1024 / n
end

-- Returns bytes per publish, per burst publish, per delivery, and the sizes handed over (op, payload).
function M.run(lib, n)
  local writes = { n = 0 }
  local c = connected_client(lib, writes)
  local written = function() lib.adapterEvent(EV.written, nil, 0) end
  local payloads = {}
  for i = 1, n do payloads[i] = string.format("%08d", i) end
  -- warm up every path (first-use allocations: tables growing to their bound, interned constants)
  for i = 1, 100 do c:publish("metrics.board.temp", payloads[i]); written() end
  for i = 1, 1000 do c:publish("metrics.board.temp", payloads[i]) end
  for i = 1, 1000 do written() end
  local delivered = 0
  c:subscribe("cmd.>", function() delivered = delivered + 1 end)
  written()
  -- Delivered payloads must not exist as strings already, or Lua's string interning would hide them.
  local wire = {}
  for i = 1, n do wire[i] = string.format("MSG cmd.x 1 8\r\n%08d\r\n", 50000000 + i) end
  for i = 1, 100 do lib.adapterEvent(EV.recv, wire[i], 0) end

  local per_publish = measure(n, function()
    for i = 1, n do
      c:publish("metrics.board.temp", payloads[i])
      written()
    end
  end)
  -- A burst: 1,000 publishes queue behind one send in flight, then the sends drain the queue in
  -- chunks of whole ops. Each byte is copied into its op and once more into its chunk, never again.
  local burst = 1000
  local per_burst_publish = measure(burst, function()
    for i = 1, burst do c:publish("metrics.board.temp", payloads[i]) end
    local before = writes.n - 1
    while writes.n > before do
      before = writes.n
      written()
    end
  end)
  local per_delivery = measure(n, function()
    for i = 1, n do lib.adapterEvent(EV.recv, wire[i], 0) end
  end)
  assert(delivered == n + 100, "every message delivered")
  return per_publish, per_burst_publish, per_delivery, #("PUB metrics.board.temp 8\r\n" .. payloads[1] .. "\r\n"), 8
end

-- Bytes per request (profile full) and its reply: the op, the reply subject and the reply's payload are
-- the strings handed over. Replies are built beforehand for the tokens the requests will get.
function M.request(lib, n)
  local writes = { n = 0 }
  local c = connected_client(lib, writes)
  local written = function() lib.adapterEvent(EV.written, nil, 0) end
  local replies = 0
  local function on_reply(err) if err == nil then replies = replies + 1 end end
  c:request("svc", "warm", 1000, on_reply)
  written()
  local inbox, token = writes.last:match("PUB svc (_INBOX%.[^.]+%.)(%d+) ")
  assert(inbox, "the request's reply subject in " .. writes.last)
  local sid = tonumber(writes.last:match("SUB _INBOX%.[^ ]+ (%d+)") or "1")
  local function reply_wire(t, i) return string.format("MSG %s%d %d 8\r\n%08d\r\n", inbox, t, sid, 70000000 + i) end
  lib.adapterEvent(EV.recv, reply_wire(tonumber(token), 0), 0)
  local payloads, wire = {}, {}
  for i = 1, n + 100 do
    payloads[i] = string.format("%08d", 80000000 + i)
    wire[i] = reply_wire(tonumber(token) + i, i)
  end
  for i = 1, 100 do
    c:request("svc", payloads[i], 1000, on_reply)
    written()
    lib.adapterEvent(EV.recv, wire[i], 0)
  end
  local per_request = measure(n, function()
    for i = 101, n + 100 do
      c:request("svc", payloads[i], 1000, on_reply)
      written()
      lib.adapterEvent(EV.recv, wire[i], 0)
    end
  end)
  assert(replies == n + 101, "every reply delivered: " .. replies)
  return per_request, #("PUB svc " .. inbox .. token .. " 8\r\n" .. payloads[1] .. "\r\n"), #(inbox .. token), 8
end

-- Bytes per tick of an idle connection (pings off: a ping is an op like any other).
function M.idle(lib, n)
  local writes = { n = 0 }
  connected_client(lib, writes)
  for i = 1, 100 do lib.adapterEvent(EV.tick, nil, i * 100) end
  return measure(n, function()
    for i = 101, n + 100 do lib.adapterEvent(EV.tick, nil, i * 100) end
  end)
end

return M
