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

-- The info line (without the leading "info ") of a filled ServerInfo.
function M.info_fields(info)
  local urls = {}
  for i = 1, info.urlCount do urls[i] = info.connectUrls[i] end
  local line = "server_id=" .. info.serverId .. " version=" .. info.version ..
    " proto=" .. tostring(info.proto) .. " max_payload=" .. tostring(info.maxPayload) ..
    " headers=" .. tostring(info.headers) .. " auth_required=" .. tostring(info.authRequired) ..
    " tls_required=" .. tostring(info.tlsRequired) .. " nonce=" .. info.nonce ..
    " ldm=" .. tostring(info.ldm) .. " connect_urls=" .. table.concat(urls, ",")
  if info.urlsDropped > 0 then line = line .. " dropped=" .. tostring(info.urlsDropped) end
  return line
end

-- A ParserSink recording event lines; INFO is decoded with the library's own parseInfo.
function M.recording_sink(lib)
  local events = {}
  local info = lib.createServerInfo()
  local sink = { events = events }
  local function push(s) events[#events + 1] = s end
  function sink:onInfo(json)
    if lib.parseInfo(json, info, 64) then push("info " .. M.info_fields(info)) else push("info_invalid " .. json) end
  end
  function sink:onMsg(subject, sid, reply, payload, headers)
    local r = reply == nil and "-" or reply
    if headers == nil then
      push("msg " .. subject .. " " .. tostring(sid) .. " " .. r .. " " .. bytes(payload))
    else
      local status = lib.headerStatus(headers)
      push("hmsg " .. subject .. " " .. tostring(sid) .. " " .. r .. " " ..
        (status == 0 and "-" or tostring(status)) .. " " .. bytes(headers) .. " " .. bytes(payload))
    end
  end
  function sink:onPing() push("ping") end
  function sink:onPong() push("pong") end
  function sink:onOk() push("ok") end
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

-- Runs one encoder-case step; returns its error code or nil.
function M.encoder_step(lib, q, step)
  local a = step.args
  local op = step.op
  if op == "connect" then
    return lib.encodeConnect(q, { name = a.name, user = a.user, pass = a.pass, token = a.token,
      echo = a.echo, headers = a.headers, lang = a.lang, version = a.version })
  elseif op == "pub" then
    return lib.encodePub(q, a.subject, a.reply, a.payload, a.maxPayload)
  elseif op == "hpub" then
    return lib.encodeHpub(q, a.subject, a.reply, a.headers, a.payload, a.maxPayload, a.serverHeaders)
  elseif op == "sub" then
    return lib.encodeSub(q, a.subject, a.queue, a.sid)
  elseif op == "unsub" then
    return lib.encodeUnsub(q, a.sid, a.max)
  elseif op == "ping" then
    return lib.encodePing(q)
  elseif op == "pong" then
    return lib.encodePong(q)
  end
  error("unknown encoder op " .. tostring(op))
end

local function show(v)
  if v == nil then return "-" end
  return tostring(v)
end

local function path_get(obj, path)
  for key in path:gmatch("[^.]+") do obj = obj[key] end
  return obj
end

local function path_set(obj, path, value)
  local keys = {}
  for key in path:gmatch("[^.]+") do keys[#keys + 1] = key end
  for i = 1, #keys - 1 do obj = obj[keys[i]] end
  obj[keys[#keys]] = value
end

-- Runs one client scenario (test/cases/client-scenarios.json), like test/support/scenario.js.
-- Returns nil, or a message describing the first expect that did not hold.
function M.run_scenario(lib, sc)
  local events = {}
  local function push(e) events[#events + 1] = e end
  local transport = { clock = 0 }
  function transport:now() return self.clock end
  function transport:open(host, port) push("open " .. host .. " " .. tostring(port)) end
  function transport:write(data) push("write " .. data) end
  function transport:close() push("close") end
  local client = lib.createClient(sc.options, "nats-mcu", 1, transport)
  client:onStatus(function(event, detail)
    push(detail == nil and ("status " .. event) or ("status " .. event .. " " .. detail))
  end)
  local function on_msg(subject, payload, reply, sid, headers)
    push("msg " .. subject .. " " .. tostring(sid) .. " " .. show(reply) .. " " .. payload ..
      (headers == nil and "" or (" [" .. headers .. "]")))
  end
  local function on_reply(err, payload, headers)
    push("reply " .. show(err) .. " " .. show(payload) .. " " .. show(headers))
  end
  local function on_flushed(err) push("flushed " .. show(err)) end
  local function on_drained(err) push("drained " .. show(err)) end
  for i, step in ipairs(sc.steps) do
    local op = step[1]
    if op == "tick" then transport.clock = step[2]; client:tick(step[2])
    elseif op == "open" then client:onOpen()
    elseif op == "recv" then client:onData(step[2])
    elseif op == "written" then client:onWritten()
    elseif op == "closed" then client:onClosed(step[2])
    elseif op == "set" then path_set(client, step[2], step[3])
    elseif op == "get" then push("value " .. show(path_get(client, step[2])))
    elseif op == "stats" then push("value " .. show(client:stats()[step[2]]))
    elseif op == "call" then
      local method = step[2]
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
      for k = 2, step.n do want[#want + 1] = step[k] end
      local ok = #want == #events
      for k = 1, #want do ok = ok and want[k] == events[k] end
      if not ok then
        local function list(t) local q = {} for k = 1, #t do q[k] = string.format("%q", t[k]) end return "{" .. table.concat(q, ", ") .. "}" end
        return sc.name .. ", step " .. i .. ": expected " .. list(want) .. " got " .. list(events)
      end
      events = {}
    else
      error("unknown scenario step " .. tostring(op))
    end
  end
  return nil
end

return M
