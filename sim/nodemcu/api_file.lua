-- file (and io on ESP32): the board's flash files (fs.lua), after app/modules/file.c (ESP8266 `release`)
-- and components/modules/file.c + the standard io library (ESP32 `dev-esp32`).
--
-- ESP8266: file.open(name[, mode]) → file object or nil; module-level file.close/read/readline/write/
--   writeline/seek/flush act on the file opened last; objects have the same methods. read([n | "c"])
--   reads n bytes (default 1024) or up to and including "c"; nil at end of file. write/writeline → true
--   (nil when the file system is full). seek([whence[, offset]]) → position. Also list([pattern]),
--   exists, remove, rename → bool, stat(name) → table or nil, fsinfo() → remaining, used, total,
--   getcontents, putcontents, format. Names over 31 bytes raise "filename invalid". There is no `io`.
-- ESP32: the file module has only list, exists, remove, rename, fsinfo, format, mkdir, rmdir; files
--   are opened with io.open(name[, mode]) → handle (read formats n/a/l/L/count, write, seek, lines,
--   flush, close) or nil, "name: No such file or directory", 2. io.write goes to the console.
-- Not emulated: file.on, file.mount, file.chdir, file.fscfg, io.popen/tmpfile/input/output.
local M = {}

local unpack = rawget(_G, "unpack") or table.unpack

local function argerr(n, fname, msg)
  error(string.format("bad argument #%d to '%s' (%s)", n, fname, msg), 0)
end

local function typename(v)
  return v == nil and "no value" or type(v)
end

local function checkstring(v, n, fname)
  if type(v) == "number" then return tostring(v) end
  if type(v) ~= "string" then argerr(n, fname, "string expected, got " .. typename(v)) end
  return v
end

local MODES = {
  r = { read = true }, w = { write = true, trunc = true }, a = { write = true, append = true },
  ["r+"] = { read = true, write = true }, ["w+"] = { read = true, write = true, trunc = true },
  ["a+"] = { read = true, write = true, append = true },
}

local function parse_mode(mode)
  return MODES[(mode:gsub("b", ""))]
end

-- A handle: { kind = "file", name, data, pos, m (MODES entry), closed }. Writes go through to fs at once.
local function open_handle(fs, name, mode)
  local m = parse_mode(mode)
  if not m then return nil end
  local data = fs:read(name)
  if data == nil then
    if not m.write or (m.read and not m.trunc and not m.append) then return nil end
    data = ""
    if not fs:write(name, data) then return nil end
  elseif m.trunc then
    data = ""
    fs:write(name, data)
  end
  return { kind = "file", size = 48, name = name, data = data, pos = 0, m = m, fs = fs }
end

local function h_write(st, s)
  if not st.m.write then return false end
  if st.m.append then st.pos = #st.data end
  local data = st.data:sub(1, st.pos) .. s .. st.data:sub(st.pos + #s + 1)
  if not st.fs:write(st.name, data) then return false end
  st.data, st.pos = data, st.pos + #s
  return true
end

-- Up to n bytes, stopping after `stop` (a one-byte string) when given; nil at end of file.
local function h_read(st, n, stop)
  if not st.m.read or st.pos >= #st.data then return nil end
  local s = st.data:sub(st.pos + 1, math.min(#st.data, st.pos + n))
  if stop then
    local i = s:find(stop, 1, true)
    if i then s = s:sub(1, i) end
  end
  st.pos = st.pos + #s
  return s
end

local WHENCE = { set = true, cur = true, ["end"] = true }

local function h_seek(st, whence, offset)
  local base = whence == "set" and 0 or whence == "cur" and st.pos or #st.data
  local pos = base + offset
  if pos < 0 then return nil end
  st.pos = pos
  return pos
end

-- A device-looking address for tostring() (heap addresses of a 32-bit ESP: 0x3ffxxxxx).
local last_addr = 0
local function addr(st)
  if not st.addr then
    last_addr = last_addr + 1
    st.addr = string.format("0x3fff%04x", (0x1200 + last_addr * 72) % 0x10000)
  end
  return st.addr
end

-- ESP8266 `release` file module.
local function esp8266_file(host, board, fs)
  local states = host.opaque
  local file, methods = {}, {}
  local mt = { __index = methods }
  mt.__tostring = function(obj) return "userdata: " .. addr(states[obj]) end
  local current -- the file object opened last (module-level calls use it)

  local function checkname(name, n, fname)
    name = checkstring(name, n, fname)
    if #(name:match("[^/]*$")) > 31 then argerr(n, fname, "filename invalid") end
    return name
  end

  -- (obj, args...) or (args...): the object and the index of its first argument, as GET_FILE_OBJ
  local function target(a)
    local st = type(a) == "table" and states[a]
    if st and st.kind == "file" then return a, st, true end
    return current, current and states[current], false
  end

  local function need_open(st)
    if not st or st.closed then error("open a file first", 0) end
  end

  function file.open(name, mode)
    current = nil
    name = checkname(name, 1, "open")
    local st = open_handle(fs, name, mode == nil and "r" or checkstring(mode, 2, "open"))
    if not st then return nil end
    local obj = setmetatable({}, mt)
    states[obj] = st
    current = obj
    return obj
  end

  function file.close(a)
    local obj, st = target(a)
    if st then st.closed = true end
    if obj == current then current = nil end
  end

  local function read(fname, a, b)
    local _, st, own = target(a)
    local arg = own and b or a
    need_open(st)
    local n, stop = 1024, nil
    if type(arg) == "number" then
      n = math.floor(arg)
    elseif type(arg) == "string" then
      if #arg ~= 1 then error("wrong arg range", 0) end
      stop = arg
    end
    if fname == "readline" then n, stop = 1024, "\n" end
    return h_read(st, n, stop)
  end
  function file.read(a, b) return read("read", a, b) end
  function file.readline(a) return read("readline", a) end

  local function write(fname, a, b)
    local _, st, own = target(a)
    local s = own and b or a
    need_open(st)
    s = checkstring(s, own and 2 or 1, fname)
    if fname == "writeline" then s = s .. "\n" end
    return h_write(st, s) or nil
  end
  function file.write(a, b) return write("write", a, b) end
  function file.writeline(a, b) return write("writeline", a, b) end

  function file.seek(a, b, c)
    local _, st, own = target(a)
    need_open(st)
    local whence, offset = b, c
    if not own then whence, offset = a, b end
    whence = whence == nil and "cur" or checkstring(whence, own and 2 or 1, "seek")
    if not WHENCE[whence] then argerr(own and 2 or 1, "seek", "invalid option '" .. whence .. "'") end
    return h_seek(st, whence, math.floor(tonumber(offset) or 0))
  end

  function file.flush(a)
    local _, st = target(a)
    need_open(st)
    return true
  end

  for _, k in ipairs({ "close", "read", "readline", "write", "writeline", "seek", "flush" }) do methods[k] = file[k] end

  function file.exists(name)
    return fs:exists(checkname(name, 1, "exists"))
  end

  function file.remove(name)
    fs:remove(checkname(name, 1, "remove"))
  end

  function file.rename(old, new)
    return fs:rename(checkname(old, 1, "rename"), checkname(new, 2, "rename"))
  end

  function file.list(pattern)
    local t = {}
    for name, size in pairs(fs:list()) do
      if pattern == nil or name:match(pattern) then t[name] = size end
    end
    return t
  end

  function file.stat(name)
    name = checkname(name, 1, "stat")
    if not fs:exists(name) then return nil end
    return { size = #fs:read(name), name = name, is_dir = false, is_rdonly = false, is_hidden = false,
      is_sys = false, is_arch = false, time = { year = 1970, mon = 1, day = 1, hour = 0, min = 0, sec = 0 } }
  end

  function file.getcontents(name)
    return fs:read(checkname(name, 1, "getcontents"))
  end

  function file.putcontents(name, data)
    name = checkname(name, 1, "putcontents")
    return fs:write(name, checkstring(data, 2, "putcontents")) or nil
  end

  return file
end

-- ESP32 `dev-esp32` file module (no file objects: io.open does that).
local function esp32_file(fs)
  local file = {}
  function file.exists(name) return fs:exists(checkstring(name, 1, "exists")) end
  function file.remove(name) fs:remove(checkstring(name, 1, "remove")) end
  function file.rename(old, new)
    return fs:rename(checkstring(old, 1, "rename"), checkstring(new, 2, "rename"))
  end
  function file.list() return fs:list() end
  function file.mkdir(name) error("failed to create directory '" .. tostring(name) .. "'; code 134", 0) end
  function file.rmdir(name) error("failed to remove directory '" .. tostring(name) .. "'; code 2", 0) end
  return file
end

-- The io library of ESP32 (Lua's liolib over the VFS): files only, stdout is the console.
local function esp32_io(host, board, fs)
  local states = host.opaque
  local io_, methods = {}, {}
  local mt = { __index = methods, __name = "FILE*" }
  mt.__tostring = function(h)
    local st = states[h]
    return st.closed and "file (closed)" or "file (" .. addr(st) .. ")"
  end

  local function check(h, fname)
    local st = type(h) == "table" and states[h]
    if not st or st.kind ~= "file" then argerr(1, fname, "FILE* expected, got " .. typename(h)) end
    if st.closed then error("attempt to use a closed file", 0) end
    return st
  end

  function io_.open(name, mode)
    name = checkstring(name, 1, "open")
    mode = mode == nil and "r" or checkstring(mode, 2, "open")
    if not mode:match("^[rwa]%+?b?$") then argerr(2, "open", "invalid mode") end
    local st = open_handle(fs, name, mode)
    if not st then return nil, name .. ": No such file or directory", 2 end
    local h = setmetatable({}, mt)
    states[h] = st
    return h
  end

  local function read_one(st, fmt)
    if type(fmt) == "number" then
      if fmt == 0 then return st.pos < #st.data and "" or nil end
      return h_read(st, math.floor(fmt))
    end
    fmt = tostring(fmt):gsub("^%*", ""):sub(1, 1)
    if fmt == "a" then return h_read(st, math.huge) or "" end
    if fmt == "l" or fmt == "L" then
      local s = h_read(st, math.huge, "\n")
      if s and fmt == "l" and s:sub(-1) == "\n" then s = s:sub(1, -2) end
      return s
    end
    if fmt == "n" then
      local rest = st.data:sub(st.pos + 1)
      local ws, num = rest:match("^(%s*)([%+%-]?%d+%.?%d*[eE]?[%+%-]?%d*)")
      if not num or not tonumber(num) then return nil end
      st.pos = st.pos + #ws + #num
      return tonumber(num)
    end
    argerr(1, "read", "invalid format")
  end

  function methods.read(h, ...)
    local st = check(h, "read")
    local n = select("#", ...)
    if n == 0 then return read_one(st, "l") end
    local out = {}
    for i = 1, n do
      out[i] = read_one(st, (select(i, ...)))
      if out[i] == nil then return unpack(out, 1, i) end
    end
    return unpack(out, 1, n)
  end

  function methods.write(h, ...)
    local st = check(h, "write")
    for i = 1, select("#", ...) do
      if not h_write(st, checkstring((select(i, ...)), i, "write")) then
        return nil, "No space left on device", 28
      end
    end
    return h
  end

  function methods.seek(h, whence, offset)
    local st = check(h, "seek")
    whence = whence == nil and "cur" or whence
    if not WHENCE[whence] then argerr(1, "seek", "invalid option '" .. tostring(whence) .. "'") end
    local pos = h_seek(st, whence, math.floor(tonumber(offset) or 0))
    if not pos then return nil, "Invalid argument", 22 end
    return pos
  end

  function methods.close(h)
    check(h, "close").closed = true
    return true
  end

  function methods.flush(h)
    check(h, "flush")
    return h
  end

  function methods.setvbuf(h)
    check(h, "setvbuf")
    return true
  end

  function methods.lines(h, fmt)
    local st = check(h, "lines")
    return function() return read_one(st, fmt or "l") end
  end

  function io_.close(h) return methods.close(h) end

  function io_.type(h)
    local st = type(h) == "table" and states[h]
    if not st or st.kind ~= "file" then return nil end
    return st.closed and "closed file" or "file"
  end

  function io_.lines(name, fmt)
    local h = io_.open(name)
    if not h then error(tostring(name) .. ": No such file or directory", 0) end
    return methods.lines(h, fmt)
  end

  function io_.write(...)
    for i = 1, select("#", ...) do
      local s = checkstring((select(i, ...)), i, "write")
      if board.console then board.console:write(s) end
    end
    return io_
  end

  return io_
end

-- The file module of board's chip, and io on ESP32 (nil on ESP8266).
function M.create(host, board)
  local fs = board.fs
  local file, io_
  if board.chip == "esp32" then
    file, io_ = esp32_file(fs), esp32_io(host, board, fs)
  else
    file = esp8266_file(host, board, fs)
  end
  function file.fsinfo()
    local used = fs:used()
    return fs.size - used, used, fs.size
  end
  function file.format()
    for name in pairs(fs:list()) do fs:remove(name) end
    if board.console then board.console:write("format done.\n") end
  end
  return file, io_
end

return M
