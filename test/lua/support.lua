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

return M
