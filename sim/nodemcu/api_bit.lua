-- bit: NodeMCU's bit module (app/modules/bit.c), present on both branches. Operands are converted to
-- 32-bit integers and results are signed 32-bit integers (lua_Integer on the device); desktop lua5.1
-- has no bit library, so this is plain arithmetic.
local M = {}

local TWO32, TWO31 = 4294967296, 2147483648

local function u32(x, n, fname)
  if type(x) ~= "number" then
    x = tonumber(x)
    if not x then error(string.format("bad argument #%d to '%s' (number expected)", n, fname), 0) end
  end
  x = x >= 0 and math.floor(x) or -math.floor(-x)
  return x % TWO32
end

local function s32(x)
  x = x % TWO32
  if x >= TWO31 then x = x - TWO32 end
  return math.floor(x)
end

local function op2(a, b, f)
  local r, p = 0, 1
  for _ = 1, 32 do
    local x, y = a % 2, b % 2
    if f(x, y) then r = r + p end
    a, b, p = (a - x) / 2, (b - y) / 2, p * 2
  end
  return r
end

local function fold(fname, f)
  return function(...)
    local n = select("#", ...)
    local w = u32((...), 1, fname)
    for i = 2, n do w = op2(w, u32((select(i, ...)), i, fname), f) end
    return s32(w)
  end
end

function M.create()
  local bit = {}
  bit.band = fold("band", function(x, y) return x == 1 and y == 1 end)
  bit.bor = fold("bor", function(x, y) return x == 1 or y == 1 end)
  bit.bxor = fold("bxor", function(x, y) return x ~= y end)
  function bit.bnot(x) return s32(TWO32 - 1 - u32(x, 1, "bnot")) end
  function bit.lshift(x, n) return s32(u32(x, 1, "lshift") * 2 ^ (u32(n, 2, "lshift") % 32)) end
  function bit.rshift(x, n) return s32(math.floor(u32(x, 1, "rshift") / 2 ^ (u32(n, 2, "rshift") % 32))) end
  function bit.arshift(x, n)
    local v = s32(u32(x, 1, "arshift"))
    return s32(math.floor(v / 2 ^ (u32(n, 2, "arshift") % 32)))
  end
  function bit.bit(n) return s32(2 ^ (u32(n, 1, "bit") % 32)) end
  function bit.set(x, ...)
    local v = u32(x, 1, "set")
    for i = 1, select("#", ...) do v = op2(v, 2 ^ (u32((select(i, ...)), i + 1, "set") % 32), function(a, b) return a == 1 or b == 1 end) end
    return s32(v)
  end
  function bit.clear(x, ...)
    local v = u32(x, 1, "clear")
    for i = 1, select("#", ...) do v = op2(v, 2 ^ (u32((select(i, ...)), i + 1, "clear") % 32), function(a, b) return a == 1 and b == 0 end) end
    return s32(v)
  end
  function bit.isset(x, n) return math.floor(u32(x, 1, "isset") / 2 ^ (u32(n, 2, "isset") % 32)) % 2 == 1 end
  function bit.isclear(x, n) return not bit.isset(x, n) end
  return bit
end

return M
