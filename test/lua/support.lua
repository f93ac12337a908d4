local unpack = table.unpack or unpack

-- The step's arguments from index `from` to its recorded length, nils kept.
local function unpack_args(step, from)
  return unpack(step, from, step.n)
end

-- Test support for the Lua specs: the same event lines, chunkings and encoder steps as test/support/*.js.
local M = {}

function M.hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local function bytes(s)
  return #s .. ":" .. M.hex(s)
end

local function header_status(h)
  local code = h:match("^NATS/1%.0 (%d%d%d)")
  return code and tonumber(code) or 0
end

-- A sink for the parser test build (test/build/parser-conn.ts) recording event lines, like
-- test/support/events.js: INFO is recorded as "info".
function M.recording_sink()
  local events = {}
  local sink = { events = events }
  local function push(s) events[#events + 1] = s end
  function sink:onInfo() push("info") end
  function sink:onMsg(subject, sid, reply, payload, headers)
    local r = reply == nil and "-" or reply
    if headers == nil then
      push("msg " .. subject .. " " .. tostring(sid) .. " " .. r .. " " .. bytes(payload))
    else
      local status = header_status(headers)
      push("hmsg " .. subject .. " " .. tostring(sid) .. " " .. r .. " " ..
        (status == 0 and "-" or tostring(status)) .. " " .. bytes(headers) .. " " .. bytes(payload))
    end
  end
  function sink:onPing() push("ping") end
  function sink:onPong() push("pong") end
  function sink:onErr(text) push("err " .. text) end
  function sink:onSkipped(subject, sid, n) push("skipped " .. subject .. " " .. tostring(sid) .. " " .. tostring(n)) end
  function sink:onProtocolError(code) push("proto_error " .. code) end
  return sink
end

M.RANDOM_SEEDS = 20

-- Park-Miller, exact in doubles and in 64-bit integers: the same cuts as test/support/chunkings.js.
local function random_cuts(n, seed)
  local max = (seed % 2 == 1) and 64 or 1460
  local cuts, s, left = {}, seed, n
  while left > 0 do
    s = (s * 16807) % 2147483647
    local len = math.min(left, 1 + s % max)
    cuts[#cuts + 1] = len
    left = left - len
  end
  return cuts
end

-- Calls fn(label, chunks) for every chunking of wire.
function M.each_chunking(wire, fn)
  fn("whole", { wire })
  local bytewise = {}
  for i = 1, #wire do bytewise[i] = wire:sub(i, i) end
  fn("byte at a time", bytewise)
  for at = 1, #wire - 1 do
    fn("split at " .. at, { wire:sub(1, at), wire:sub(at + 1) })
  end
  for seed = 1, M.RANDOM_SEEDS do
    local chunks, at = {}, 1
    for _, len in ipairs(random_cuts(#wire, seed)) do
      chunks[#chunks + 1] = wire:sub(at, at + len - 1)
      at = at + len
    end
    fn("random seed " .. seed, chunks)
  end
end

local function show(v)
  if v == nil then return "-" end
  return tostring(v)
end

-- Adapter events as the core numbers them (src/events.ts).
local EV = { open = 0, recv = 1, written = 2, closed = 3, tick = 4 }

-- Expected writes on a smaller profile (test/support/scenario.js forProfile): pub and pubsub leave out
-- headers, no_responders and protocol, pub also echo.
local function for_profile(line, profile)
  if profile == "full" then return line end
  local s = line:gsub(',"headers":%a+,"no_responders":%a+', "", 1)
  local pf, pt = s:find('"protocol":1,', 1, true)
  if pf then s = s:sub(1, pf - 1) .. s:sub(pt + 1) end
  if profile == "pub" then
    local from, to = s:find(',"echo":false', 1, true)
    if from then s = s:sub(1, from - 1) .. s:sub(to + 1) end
  end
  return s
end

-- Runs one client scenario (test/cases/client-scenarios.json), like test/support/scenario.js.
-- Returns nil, or a message describing the first expect that did not hold.
function M.run_scenario(lib, sc, profile)
  local events = {}
  local function push(e) events[#events + 1] = e end
  local transport = { clock = 0 }
  function transport:now() return self.clock end
  function transport:open(host, port) push("open " .. host .. " " .. tostring(port)) end
  function transport:write(data) push("write " .. data) end
  function transport:close() push("close") end
  lib.useTransport(transport, 1)
  local client = lib.connect(sc.options)
  -- {"on", event, "close" | "raise"}: the status callback calls close() or raises after recording the event
  local on_status_do = {}
  client:onStatus(function(event, detail)
    push(detail == nil and ("status " .. event) or ("status " .. event .. " " .. detail))
    if on_status_do[event] == "close" then client:close() end
    if on_status_do[event] == "raise" then error("raised", 0) end
  end)
  -- as the runtime adapters run every event: a callback that raises is reported as Raised (5)
  local function event(ev, data)
    local ok, e = pcall(lib.adapterEvent, ev, data, transport.clock)
    if not ok then lib.adapterEvent(5, tostring(e), 0) end
  end
  local function on_msg(subject, payload, reply, sid, headers)
    push("msg " .. subject .. " " .. tostring(sid) .. " " .. show(reply) .. " " .. payload ..
      (headers == nil and "" or (" [" .. headers .. "]")))
    if payload == "close!" then client:close() end
    if payload == "raise!" then error("raised", 0) end
  end
  local function on_reply(err, payload, headers)
    push("reply " .. show(err) .. " " .. show(payload) .. " " .. show(headers))
  end
  local function on_flushed(err) push("flushed " .. show(err)) end
  local function on_drained(err) push("drained " .. show(err)) end
  for i, step in ipairs(sc.steps) do
    local op = step[1]
    if op == "tick" then transport.clock = step[2]; event(EV.tick, nil)
    elseif op == "open" or op == "written" then event(EV[op], nil)
    elseif op == "recv" then
      -- as the runtime adapters do: a raised callback is reported as Raised (5), the rest of the chunk
      -- fed on as "" (firmware/*/io.ts run())
      local data = step[2]
      for _ = 0, 64 do
        local ok, e = pcall(lib.adapterEvent, EV.recv, data, transport.clock)
        if ok then break end
        lib.adapterEvent(5, tostring(e), 0)
        data = ""
      end
    elseif op == "closed" then event(EV.closed, step[2])
    elseif op == "on" then on_status_do[step[2]] = step[3]
    elseif op == "chunk" then lib.setChunk(step[2])
    elseif op == "id" then lib.setId(step[2])
    elseif op == "stats" then push("value " .. show(client:stats()[step[2]]))
    elseif op == "call" then
      local method = step[2]
      if type(client[method]) ~= "function" then
        return sc.name .. ", step " .. i .. ": the " .. profile .. " profile has no " .. method .. "()"
      end
      local r
      if method == "subscribe" then
        r = client[method](client, step[3], on_msg, step[4], step[5])
      elseif method == "request" then
        r = client[method](client, step[3], step[4], step[5], on_reply)
      elseif method == "flush" then
        r = client[method](client, on_flushed)
      elseif method == "drain" then
        r = client[method](client, on_drained)
      else
        r = client[method](client, unpack_args(step, 3))
      end
      if r ~= nil then push("return " .. tostring(r)) end
    elseif op == "expect" then
      local want = {}
      for k = 2, step.n do want[#want + 1] = for_profile(step[k], profile) end
      local ok = #want == #events
      for k = 1, #want do ok = ok and want[k] == events[k] end
      if not ok then
        local function list(t) local q = {} for k = 1, #t do q[k] = string.format("%q", t[k]) end return "{" .. table.concat(q, ", ") .. "}" end
        return sc.name .. " (" .. profile .. "), step " .. i .. ": expected " .. list(want) .. " got " .. list(events)
      end
      events = {}
    else
      error("unknown scenario step " .. tostring(op))
    end
  end
  return nil
end

return M
