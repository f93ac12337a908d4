-- encoder: app/modules/encoder.c (the same on ESP32). Not in either branch's default build: a board
-- has it only when its spec lists it in firmware_modules.
--   toHex(s) (lower case), fromHex(s) (either case; odd length or a non-hex byte: "Invalid hex string"),
--   toBase64(s), fromBase64(s) (length not a multiple of 4 or a byte outside the alphabet:
--   "Invalid base64 string"). "" encodes and decodes to "".
local M = {}

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local floor = math.floor

local function checkstring(v, fname)
  if type(v) == "number" then return tostring(v) end
  if type(v) ~= "string" then
    error("bad argument #1 to '" .. fname .. "' (string expected, got " .. (v == nil and "no value" or type(v)) .. ")", 0)
  end
  return v
end

function M.create()
  local encoder = {}
  local index = {}
  for i = 1, 64 do index[B64:byte(i)] = i - 1 end

  function encoder.toHex(s)
    return (checkstring(s, "toHex"):gsub(".", function(c) return string.format("%02x", c:byte()) end))
  end

  function encoder.fromHex(s)
    s = checkstring(s, "fromHex")
    if #s % 2 == 1 or s:find("[^%x]") then error("Invalid hex string", 0) end
    return (s:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end))
  end

  function encoder.toBase64(s)
    s = checkstring(s, "toBase64")
    local out = {}
    for i = 1, #s, 3 do
      local a, b, c = s:byte(i, i + 2)
      local n = a * 65536 + (b or 0) * 256 + (c or 0)
      local d = { floor(n / 262144) % 64, floor(n / 4096) % 64, floor(n / 64) % 64, n % 64 }
      local k = b == nil and 2 or c == nil and 3 or 4
      for j = 1, 4 do out[#out + 1] = j <= k and B64:sub(d[j] + 1, d[j] + 1) or "=" end
    end
    return table.concat(out)
  end

  function encoder.fromBase64(s)
    s = checkstring(s, "fromBase64")
    if #s % 4 ~= 0 then error("Invalid base64 string", 0) end
    local pad = s:match("(=?=?)$")
    local body = s:sub(1, #s - #pad)
    for i = 1, #body do
      if not index[body:byte(i)] then error("Invalid base64 string", 0) end
    end
    local out = {}
    for i = 1, #body, 4 do
      local q = { body:byte(i, i + 3) }
      local n = 0
      for j = 1, 4 do n = n * 64 + (q[j] and index[q[j]] or 0) end
      local bytes = { floor(n / 65536) % 256, floor(n / 256) % 256, n % 256 }
      for j = 1, #q - 1 do out[#out + 1] = string.char(bytes[j]) end
    end
    return table.concat(out)
  end

  return encoder
end

return M
