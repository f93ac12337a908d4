-- A board's flash file system (SPIFFS on both branches): flat names, each file one host file in the
-- board's directory. Names are escaped for the host ("%XX" for bytes other than letters, digits, ".",
-- "_" and "-", and for a leading "."), so any board name maps to one safe host name. Lua cannot list a
-- directory, so the names already there come from the spec (console.js lists the directory); after
-- that the index is kept here and the directory is only written through it.
--
--   local fs = dofile(DIR .. "fs.lua").new({ dir = "/abs/dir", files = { "init.lua" }, size = 3441461 })
--   fs:write("a.lua", "print(1)"); fs:read("a.lua") --> "print(1)"; fs:list() --> { ["a.lua"] = 8 }
local M = {}

local FS = {}
FS.__index = FS

local function encode(name)
  local s = name:gsub("[^%w%._%-]", function(c) return string.format("%%%02X", c:byte()) end)
  if s:sub(1, 1) == "." then s = "%2E" .. s:sub(2) end
  return s
end

local function decode(hostname)
  return (hostname:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

function M.new(spec)
  assert(type(spec) == "table" and type(spec.dir) == "string", "fs: spec.dir must name a directory")
  local self = setmetatable({ dir = spec.dir:gsub("[/\\]$", ""), size = spec.size or 3441461, index = {} }, FS)
  for _, hostname in ipairs(spec.files or {}) do
    local name = decode(hostname)
    local data = self:_load(name)
    if data then self.index[name] = #data end
  end
  return self
end

function FS:path(name)
  return self.dir .. "/" .. encode(name)
end

function FS:_load(name)
  local f = io.open(self:path(name), "rb")
  if not f then return nil end
  local data = f:read("*a")
  f:close()
  return data
end

-- The contents of name, or nil when there is no such file.
function FS:read(name)
  if self.index[name] == nil then return nil end
  return self:_load(name) or ""
end

function FS:exists(name)
  return self.index[name] ~= nil
end

function FS:used()
  local n = 0
  for _, size in pairs(self.index) do n = n + size end
  return n
end

-- Replaces name's contents. Returns false (and writes nothing) when the file system is full.
function FS:write(name, data)
  local old = self.index[name] or 0
  if self:used() - old + #data > self.size then return false end
  local f = assert(io.open(self:path(name), "wb"))
  f:write(data)
  f:close()
  self.index[name] = #data
  return true
end

function FS:remove(name)
  if self.index[name] == nil then return false end
  os.remove(self:path(name))
  self.index[name] = nil
  return true
end

function FS:rename(old, new)
  if self.index[old] == nil or self.index[new] ~= nil then return false end
  local ok = os.rename(self:path(old), self:path(new))
  if not ok then return false end
  self.index[new], self.index[old] = self.index[old], nil
  return true
end

-- name → size of every file.
function FS:list()
  local t = {}
  for name, size in pairs(self.index) do t[name] = size end
  return t
end

return M
