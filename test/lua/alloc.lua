-- Lua heap bytes the client allocates per publish and per delivery, measured with the collector
-- stopped: collectgarbage("count") before and after n operations on a connected client over a fake
-- transport. Payloads and wire chunks are built beforehand, so only the library's allocations count.
local M = {}

local INFO = 'INFO {"server_id":"S","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576} \r\n'

local function connected_client(lib)
  local transport = {}
  function transport:now() return 0 end
  function transport:open() end
  function transport:write(data) self.last = data end
  function transport:close() end
  local c = lib.createClient({ servers = "nats://h:4222", reconnect = false, pingInterval = 0 }, "alloc", 1, transport)
  c:tick(0)
  c:onOpen()
  c:onData(INFO)
  c:onWritten()
  c:onData("PONG\r\n")
  return c
end

local function measure(n, fn)
  collectgarbage("collect")
  collectgarbage("stop")
  local before = collectgarbage("count")
  fn()
  local after = collectgarbage("count")
  collectgarbage("restart")
  return (after - before) * 1024 / n
end

-- Returns bytes per publish, per delivery, and the sizes that are handed over (write string, payload).
function M.run(lib, n)
  local c = connected_client(lib)
  local payloads = {}
  for i = 1, n do payloads[i] = string.format("%08d", i) end
  -- warm up both paths (first-use allocations: tables growing, interned constants)
  for i = 1, 100 do c:publish("metrics.board.temp", payloads[i]); c:onWritten() end
  local delivered = 0
  c:subscribe("cmd.>", function() delivered = delivered + 1 end)
  c:onWritten()
  -- Delivered payloads must not exist as strings already, or Lua's string interning would hide them.
  local wire = {}
  for i = 1, n do wire[i] = string.format("MSG cmd.x 1 8\r\n%08d\r\n", 50000000 + i) end
  for i = 1, 100 do c:onData(wire[i]) end

  local per_publish = measure(n, function()
    for i = 1, n do
      c:publish("metrics.board.temp", payloads[i])
      c:onWritten()
    end
  end)
  local per_delivery = measure(n, function()
    for i = 1, n do c:onData(wire[i]) end
  end)
  assert(delivered == n + 100, "every message delivered")
  return per_publish, per_delivery, #("PUB metrics.board.temp 8\r\n" .. payloads[1] .. "\r\n"), 8
end

return M
