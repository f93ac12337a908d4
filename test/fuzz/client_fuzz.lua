-- The client fuzzer on the Lua test builds (like test/fuzz/client.fuzz.js on the JS ones): mutated server
-- streams from the golden fixtures in random chunks, interleaved with random API calls with arguments of
-- any Lua type, driven by a model of a legal adapter. Invariants: no error escapes, one write in flight of
-- at most one chunk, nothing written before Open or after close(), every link's bytes are well-formed
-- client ops, the out-queue within its bound.
--   lua5.x test/fuzz/client_fuzz.lua <build/test dir> <cases per profile> <seed>   (needs build/test/cases.lua)
-- or require it and call M.run(builds_dir, cases_per_profile, seed, wires).
local M = {}

local EV = { open = 0, recv = 1, written = 2, closed = 3, tick = 4 }
local INFO = 'INFO {"server_id":"S","version":"2.9.10","proto":1,"headers":true,"max_payload":1048576,"connect_urls":["h2:4222"]} \r\n'
local INSERTS = { "\r\n", "\n", "\0", " ", "\t", "PING\r\n", "PONG\r\n", "MSG a 1 999999999\r\n", "MSG a 1 -5\r\n",
  "MSG a 1 x\r\n", "HMSG a 1 20 10\r\n", "-ERR 'Stale Connection'\r\n", "-ERR 'Permissions Violation for Publish to \"x\"'\r\n",
  "+OK\r\n", "pInG\r\n", 'INFO {"ldm":true} \r\n', "INFO nope\r\n", string.rep("x", 5000), "MSG a 1 3\r\nabc", "MSG a 1 2\r\nab\r\n" }
local VALUES = { "a", "a.b", "cmd.>", "x.*", "_INBOX.q", "w", "", " ", "a b", "a\0b", "a..b", ".a", "a.", ">", "*", "a\r\nPUB x 1",
  "q1", 0, 1, -1, 3, 1.5, 2 ^ 31, 0 / 0, true, false, {}, { 1, 2 }, function() return 1 end }
local VALUE_COUNT = #VALUES + 1 -- the last one is nil
local METHODS = { "publish", "subscribe", "unsubscribe", "hpublish", "request", "flush", "drain", "close", "status", "lastError", "stats" }
local SERVERS = { "nats://h:4222", { "nats://h:4222", "nats://u:p@h2:4333" }, "bogus", { "tls://x" } }
local CHUNKS = { 16, 100, 1460 }

-- Park-Miller, exact in doubles and in 64-bit integers
local function rng(seed)
  local s = seed % 2147483646 + 1
  return function(n) s = (s * 16807) % 2147483647; return s % n end
end

local function mutate(r, wire)
  local kind, at = r(4), r(#wire + 1)
  if kind == 0 then return wire:sub(1, at) .. string.char(r(256)) .. wire:sub(at + 2)
  elseif kind == 1 then return wire:sub(1, at)
  elseif kind == 2 then return wire:sub(1, at) .. INSERTS[r(#INSERTS) + 1] .. wire:sub(at + 1)
  else return wire:sub(1, at) .. wire:sub(at + 2 + r(8)) end
end

local function value(r)
  local i = r(VALUE_COUNT) + 1
  if i == VALUE_COUNT then return nil end
  return VALUES[i]
end

-- nil when stream is a sequence of well-formed client ops (an incomplete last op allowed), else why not.
local function stream_problem(stream)
  local pos = 1
  local function token_ok(t) return t ~= nil and t ~= "" and not t:find("[%z\1-\32\127]") end
  local function sizes_ok(...) for _, s in ipairs({ ... }) do if not s:match("^%d%d?%d?%d?%d?%d?%d?%d?%d?$") then return false end end return true end
  while pos <= #stream do
    local lf = stream:find("\r\n", pos, true)
    if not lf then return nil end
    local line = stream:sub(pos, lf - 1)
    if #line > 4096 + 8 then return "control line over 4096 bytes" end
    local args = {}
    for a in line:gmatch("[^ ]+") do args[#args + 1] = a end
    if line:find("  ", 1, true) then return "double blank in " .. line:sub(1, 60) end
    local op = table.remove(args, 1)
    local body
    if op == "CONNECT" then
      -- protocol 1 (async INFO) from full (the profile that says headers), the default 0 from pub and pubsub
      local full = line:find('"headers":', 1, true) ~= nil
      if not line:find('"verbose":false,"pedantic":false,', 1, true) or (line:find('"protocol":1,', 1, true) ~= nil) ~= full then return "CONNECT fields: " .. line:sub(1, 80) end
    elseif op == "PING" or op == "PONG" then
      if #args ~= 0 then return op .. " with arguments" end
    elseif op == "SUB" then
      if (#args ~= 2 and #args ~= 3) or not token_ok(args[1]) or not token_ok(args[#args - 1]) or not sizes_ok(args[#args]) then return "SUB: " .. line:sub(1, 80) end
    elseif op == "UNSUB" then
      if (#args ~= 1 and #args ~= 2) or not sizes_ok(unpack and unpack(args) or table.unpack(args)) then return "UNSUB: " .. line:sub(1, 80) end
    elseif op == "PUB" then
      if (#args ~= 2 and #args ~= 3) or not token_ok(args[1]) or not token_ok(args[#args - 1]) or not sizes_ok(args[#args]) then return "PUB: " .. line:sub(1, 80) end
      body = tonumber(args[#args])
    elseif op == "HPUB" then
      if (#args ~= 3 and #args ~= 4) or not token_ok(args[1]) or not sizes_ok(args[#args - 1], args[#args]) then return "HPUB: " .. line:sub(1, 80) end
      if tonumber(args[#args - 1]) > tonumber(args[#args]) then return "HPUB header size over total" end
      body = tonumber(args[#args])
    else
      return "unknown op " .. string.format("%q", tostring(op))
    end
    pos = lf + 2
    if body then
      if #stream < pos + body + 1 then return nil end
      if stream:sub(pos + body, pos + body + 1) ~= "\r\n" then return "payload not followed by CR LF" end
      pos = pos + body + 2
    end
  end
  return nil
end
M.stream_problem = stream_problem

-- One case; returns nil or what broke.
local function run_case(lib, r, wires)
  local links, socket, in_flight, clock, problem = {}, "none", false, 0, nil
  local chunk = CHUNKS[r(#CHUNKS) + 1]
  local transport = {}
  function transport:now() return clock end
  function transport:open()
    if socket == "opening" or socket == "open" then problem = problem or ("open while a socket is " .. socket) end
    socket, in_flight = "opening", false
    links[#links + 1] = {}
  end
  function transport:write(data)
    if socket ~= "open" then problem = problem or ("write while the socket is " .. socket) end
    if in_flight then problem = problem or "a second write in flight" end
    if #data > chunk or #data == 0 then problem = problem or ("write of " .. #data .. " bytes") end
    in_flight = true
    local l = links[#links]
    l[#l + 1] = data
  end
  function transport:close()
    if socket == "none" then problem = problem or "close without a socket" end
    socket = "closing"
  end
  local out_buffer = ({ nil, 64, 512 })[r(3) + 1]
  local opts = {
    servers = SERVERS[r(#SERVERS) + 1], outBuffer = out_buffer, maxPayload = ({ nil, 16, 1024 })[r(3) + 1],
    pingInterval = ({ nil, 0, 1000 })[r(3) + 1], maxSubs = ({ nil, 2 })[r(2) + 1], maxRequests = ({ nil, 1 })[r(2) + 1],
    reconnectWait = ({ nil, 0, 100 })[r(3) + 1], name = ({ nil, 'b"1\\', 7 })[r(3) + 1],
  }
  local cb = function() end
  local ok, err = pcall(function()
    lib.useTransport(transport, 1)
    lib.setChunk(chunk)
    local nc = lib.connect(opts)
    nc:onStatus(cb)
    for _ = 1, r(40) do
      local t = r(16)
      if t < 2 then
        clock = clock + r(40000)
        lib.adapterEvent(EV.tick, nil, clock)
      elseif t < 4 then
        if socket == "opening" then socket = "open"; lib.adapterEvent(EV.open, nil, clock) end
      elseif t < 7 then
        if in_flight and socket == "open" then in_flight = false; lib.adapterEvent(EV.written, nil, clock) end
      elseif t < 8 then
        if socket ~= "none" then socket, in_flight = "none", false; lib.adapterEvent(EV.closed, r(2) == 0 and "reset" or nil, clock) end
      elseif t < 12 then
        if socket == "opening" or socket == "open" then
          local stream = wires[r(#wires) + 1]
          for _ = 1, r(5) do stream = mutate(r, stream) end
          if r(2) == 0 then stream = INFO .. "PONG\r\n" .. stream end
          local at = 1
          while at <= #stream and socket ~= "none" do
            local n = 1 + r(600)
            lib.adapterEvent(EV.recv, stream:sub(at, at + n - 1), clock)
            at = at + n
          end
        end
      else
        local method = METHODS[r(#METHODS) + 1]
        if type(nc[method]) == "function" then
          local a, b, c, d = value(r), value(r), value(r), value(r)
          if method == "subscribe" then nc:subscribe(a, cb, b, c)
          elseif method == "request" then nc:request(a, b, c, cb)
          elseif method == "flush" or method == "drain" then nc[method](nc, cb)
          else nc[method](nc, a, b, c, d) end
        end
      end
      if problem then return end
      if type(nc.stats) == "function" and nc:stats().pendingBytes > (out_buffer or 65536) then
        problem = "out-queue over its bound"
        return
      end
    end
  end)
  if not ok then return "raised: " .. tostring(err) end
  if problem then return problem end
  for i, l in ipairs(links) do
    local p = stream_problem(table.concat(l))
    if p then return "link " .. i .. ": " .. p end
  end
  return nil
end

-- Runs cases_per_profile cases on each profile's client test build; returns the count, or errors with
-- the profile, seed and case number of the first failure.
function M.run(builds, cases_per_profile, seed, wires)
  local count = 0
  for _, profile in ipairs({ "pub", "pubsub", "full" }) do
    local path = builds .. "/nodemcu-" .. profile .. "/client.lua"
    local r = rng(seed)
    for i = 1, cases_per_profile do
      local problem = run_case(dofile(path), r, wires)
      if problem then error(string.format("%s %s, seed %d, case %d: %s", _VERSION, profile, seed, i, problem), 0) end
      count = count + 1
    end
  end
  return count
end


-- Every bad input ends in a protocol error and a reconnect (test/fuzz/client.fuzz.js BAD_INPUTS).
local BAD_INPUTS = {
  { "XYZZY 1\r\n", "protocol" }, { " PING\r\n", "protocol" }, { "PIx\r\n", "protocol" },
  { "MSG a 1 x\r\nab\r\n", "protocol" }, { "MSG a 1 1234567890\r\n", "protocol" },
  { "MSG a x 2\r\nab\r\n", "protocol" }, { "MSG a 1 2 3 4\r\nab\r\n", "protocol" },
  { "MSG a 1 2\r\nabXY", "protocol" }, { "HMSG a 1 20 10\r\n", "protocol" },
  { "-ERR " .. string.rep("x", 5000) .. "\r\n", "protocol" },
}
local BEFORE = { "PING\r\n", "MSG a 1 2\r\nhi\r\n", "+OK\r\n", "MSG b 1 0\r\n\r\n" }
local AFTER = { "", "PING\r\n", "MSG a 1 2\r\nhi\r\n" }

local function run_bad(lib, r)
  local events, clock = {}, 0
  local function push(e) events[#events + 1] = e end
  local transport = {}
  function transport:now() return clock end
  function transport:open() push("open") end
  function transport:write() end
  function transport:close() push("close") end
  lib.useTransport(transport, 1)
  local nc = lib.connect({ servers = "nats://h:4222", reconnectWait = 0, reconnectJitter = 0 })
  nc:onStatus(function(e, d) push(e .. " " .. tostring(d)) end)
  if type(nc.subscribe) == "function" then nc:subscribe("a", function() end) end
  local function ev(e, d) lib.adapterEvent(e, d, clock) end
  ev(EV.tick); ev(EV.open); ev(EV.recv, INFO); ev(EV.written); ev(EV.recv, "PONG\r\n")
  local before = {}
  for i = 1, r(6) do before[i] = BEFORE[r(#BEFORE) + 1] end
  local bad = BAD_INPUTS[r(#BAD_INPUTS) + 1]
  local head = table.concat(before)
  local stream = head .. bad[1] .. AFTER[r(#AFTER) + 1]
  local code = bad[2]
  -- one code for every bad input, on every profile (on pub a MSG is no op at all, on pubsub an HMSG)
  local at = 1
  while at <= #stream do
    local n = 1 + r(64)
    ev(EV.recv, stream:sub(at, at + n - 1))
    at = at + n
  end
  local all = table.concat(events, " | ")
  local found, closed, opens = false, false, 0
  for _, e in ipairs(events) do
    if e == "error " .. code then found = true end
    if e == "close" then closed = true end
  end
  if not found then return "no \"error " .. code .. "\" for " .. string.format("%q", stream:sub(1, 60)) .. ": " .. all end
  if not closed then return "the link was not closed: " .. all end
  ev(EV.closed); clock = clock + 1; ev(EV.tick)
  for _, e in ipairs(events) do if e == "open" then opens = opens + 1 end end
  if opens ~= 2 then return "no reconnect: " .. table.concat(events, " | ") end
  return nil
end

function M.run_bad(builds, cases_per_profile, seed)
  local count = 0
  for _, profile in ipairs({ "pub", "pubsub", "full" }) do
    local path = builds .. "/nodemcu-" .. profile .. "/client.lua"
    local r = rng(seed)
    for i = 1, cases_per_profile do
      local problem = run_bad(dofile(path), r)
      if problem then error(string.format("%s %s, seed %d, bad input %d: %s", _VERSION, profile, seed, i, problem), 0) end
      count = count + 1
    end
  end
  return count
end

if arg and arg[0] and arg[0]:match("client_fuzz%.lua$") then
  local builds, n, seed = arg[1], tonumber(arg[2]), tonumber(arg[3])
  local data = dofile(builds .. "/cases.lua")
  local wires = {}
  for _, c in ipairs(data.wire) do wires[#wires + 1] = c.wire end
  local t0 = os.clock()
  local count = M.run(builds, n, seed, wires)
  local s = os.clock() - t0
  print(string.format("%s: %d cases in %.1f s CPU (%d cases/s), no failure", _VERSION, count, s, math.floor(count / s)))
  local bad = M.run_bad(builds, math.max(1, math.floor(n / 10)), seed)
  print(string.format("%s: %d bad inputs, each a protocol error and a reconnect", _VERSION, bad))
end

return M
