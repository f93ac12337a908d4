-- A board's global environment: what NodeMCU's Lua offers, nothing of the host.
--
-- Every board (and every boot of it) gets its own globals table. Built-ins, the standard libraries and
-- the NodeMCU modules live in a read-only "ROM" table behind the globals' __index, as LROT tables do on
-- the device: pairs(_G) shows only what the app defined, and none of it is charged to the heap.
-- There is no `os` and `debug` only has traceback and getinfo (nodemcu.md §3). Boards without a file
-- system (no `fs` in the spec) have no `file`, `io`, `dofile` or `loadfile` either. Using them fails as on
-- the device: "attempt to index global 'os' (a nil value)".
-- Boards with a file system (fs.lua; console boards) also get, as the firmware has them: `file` (and
-- `io` on ESP32, api_file.lua), `dofile`/`loadfile` reading the board's files, `require` searching
-- package.path "?.lc;?.lua" in them (code loaded from files costs heap), `uart` when the board has a
-- console, and the optional C modules listed in the spec's firmware_modules (only "encoder").
local M = {}

local DIR = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
local api = {
  net = dofile(DIR .. "api_net.lua"),
  tmr = dofile(DIR .. "api_tmr.lua"),
  node = dofile(DIR .. "api_node.lua"),
  wifi = dofile(DIR .. "api_wifi.lua"),
  bit = dofile(DIR .. "api_bit.lua"),
  file = dofile(DIR .. "api_file.lua"),
  encoder = dofile(DIR .. "api_encoder.lua"),
  uart = dofile(DIR .. "api_uart.lua"),
}

local V51 = _VERSION == "Lua 5.1"
local loadstring = rawget(_G, "loadstring")
local setfenv = rawget(_G, "setfenv")

-- Compiles src with env as its globals (5.1: setfenv; 5.3: load's env argument).
function M.compile(src, chunkname, env)
  if V51 then
    local fn, err
    if type(src) == "function" then
      fn, err = load(src, chunkname)
    else
      fn, err = loadstring(src, chunkname)
    end
    if fn then setfenv(fn, env) end
    return fn, err
  end
  return load(src, chunkname, "bt", env)
end

local function shallow(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

local function deep(v, seen)
  if type(v) ~= "table" then return v end
  seen = seen or {}
  if seen[v] then return seen[v] end
  local c = {}
  seen[v] = c
  for k, x in pairs(v) do c[deep(k, seen)] = deep(x, seen) end
  return c
end

-- Marks a table (recursively) and its functions as ROM for the heap walk.
local function mark_rom(rom, v)
  if (type(v) == "table" or type(v) == "function") and not rom[v] then
    rom[v] = true
    if type(v) == "table" then
      for k, x in pairs(v) do
        mark_rom(rom, k)
        mark_rom(rom, x)
      end
      local mt = getmetatable(v)
      if type(mt) == "table" then mark_rom(rom, mt) end
    end
  end
end
M.mark_rom = mark_rom

-- An LFS image keeps its constant strings in flash: names and simple string literals of the source
-- are marked ROM, so strings equal to them cost no heap (an approximation of LFS's ROstrings).
function M.rom_strings(rom, src)
  for name in src:gmatch("[%a_][%w_]*") do rom[name] = true end
  for s in src:gmatch('"([^"\\\n]*)"') do rom[s] = true end
  for s in src:gmatch("'([^'\\\n]*)'") do rom[s] = true end
end

function M.install(host, board)
  local rom = setmetatable({}, { __mode = "k" })
  board.rom = rom
  local R = {} -- the ROM table
  local env = setmetatable({}, { __index = R })
  env._G = env
  board.env = env

  local function board_type(v)
    if host.opaque[v] then return "userdata" end
    return type(v)
  end

  local function board_tostring(v)
    return tostring(v)
  end

  local function print_(...)
    local n = select("#", ...)
    local parts = {}
    local ts = env.tostring
    for i = 1, n do
      local s = ts((select(i, ...)))
      if type(s) ~= "string" then error("'tostring' must return a string to 'print'", 0) end
      parts[i] = s
    end
    host:report(board, "print", table.concat(parts, "\t"))
  end

  local gc_options = { collect = true, count = true, step = true, stop = true, restart = true,
    setpause = true, setstepmul = true, isrunning = not V51 or nil }
  local function collectgarbage_(opt, arg)
    opt = opt or "collect"
    if not gc_options[opt] then
      error("bad argument #1 to 'collectgarbage' (invalid option '" .. tostring(opt) .. "')", 0)
    end
    if opt == "count" then
      local used = host:board_used(board)
      return used / 1024
    elseif opt == "collect" then
      collectgarbage("collect")
      return 0
    elseif opt == "step" then
      return true
    elseif opt == "isrunning" then
      return true
    elseif opt == "setpause" or opt == "setstepmul" then
      return 200
    end
    return 0 -- stop / restart: the host collector is shared, so accepted and ignored
  end

  local loaded = {}
  local package = { loaded = loaded, preload = {}, path = "?.lc;?.lua", cpath = "" }
  board.loaded, board.package = loaded, package

  local function require_(name)
    if type(name) ~= "string" and type(name) ~= "number" then
      error("bad argument #1 to 'require' (string expected, got " .. (name == nil and "no value" or type(name)) .. ")", 0)
    end
    name = tostring(name)
    local v = loaded[name]
    if v ~= nil then return v end
    local loader = package.preload[name]
    if loader == nil and board.fs then
      for _, fname in ipairs({ name .. ".lc", name .. ".lua" }) do
        local src = board.fs:read(fname)
        if src then
          local fn, cerr = host:compile(board, src, "@" .. fname, true)
          if not fn then error("error loading module '" .. name .. "' from file '" .. fname .. "':\n\t" .. cerr, 0) end
          loader = fn
          break
        end
      end
    end
    if loader == nil and name == "config" and (board.config ~= nil or not board.fs) then
      loader = function() return deep(board.config or {}) end
    end
    if loader == nil and board.modules[name] then
      local path = board.modules[name]
      local src, err = host:read_source(path)
      if not src then error("module '" .. name .. "': cannot read " .. path .. ": " .. tostring(err), 0) end
      local fn, cerr = host:compile(board, src, "@" .. (path:match("([^/\\]+)$") or path), not board.lfs)
      if not fn then error(cerr, 0) end
      if board.lfs then M.rom_strings(rom, src) end
      loader = fn
    end
    if loader == nil then
      error("module '" .. name .. "' not found:\n\tno field package.preload['" .. name .. "']\n\tno file '"
        .. name .. ".lc'\n\tno file '" .. name .. ".lua'", 0)
    end
    local r = loader(name)
    if r ~= nil then loaded[name] = r end
    if loaded[name] == nil then loaded[name] = true end
    return loaded[name]
  end

  -- load / loadstring compile into this board's globals; the code is charged to its heap.
  local function load_(chunk, chunkname, mode, fenv)
    if type(chunk) ~= "string" and type(chunk) ~= "function" then
      error("bad argument #1 to 'load' (function expected, got " .. type(chunk) .. ")", 0)
    end
    return host:compile(board, chunk, chunkname or (type(chunk) == "string" and chunk or "=(load)"), true, fenv or env)
  end

  R.assert, R.error, R.getmetatable, R.setmetatable = assert, error, getmetatable, setmetatable
  R.ipairs, R.pairs, R.next, R.select = ipairs, pairs, next, select
  R.pcall, R.xpcall = pcall, xpcall
  R.rawequal, R.rawget, R.rawset = rawequal, rawget, rawset
  R.tonumber, R.tostring, R.type = tonumber, board_tostring, board_type
  R.print, R.collectgarbage, R.require = print_, collectgarbage_, require_
  R._VERSION = _VERSION
  R.string, R.table, R.math, R.coroutine = shallow(string), shallow(table), shallow(math), shallow(coroutine)
  R.debug = { traceback = debug.traceback, getinfo = debug.getinfo }
  R.package = package
  if V51 then
    R.unpack = rawget(_G, "unpack")
    R.loadstring = function(s, chunkname)
      if type(s) ~= "string" then
        error("bad argument #1 to 'loadstring' (string expected, got " .. type(s) .. ")", 0)
      end
      return load_(s, chunkname or s)
    end
    R.load = function(fn, chunkname) return load_(fn, chunkname or "=(load)") end
  else
    R.rawlen = rawget(_G, "rawlen")
    R.load = load_
    R.utf8 = rawget(_G, "utf8") and shallow(utf8) or nil
  end

  if board.fs then
    -- luaL_loadfile's "cannot open <name>: <strerror>"; ESP8266's strerror gives "" (observed)
    local enoent = board.chip == "esp32" and "No such file or directory" or ""
    local function loadfile_(name)
      if type(name) ~= "string" then
        error("bad argument #1 to 'loadfile' (string expected, got " .. (name == nil and "no value" or type(name)) .. ")", 0)
      end
      local src = board.fs:read(name)
      if not src then return nil, "cannot open " .. name .. ": " .. enoent end
      return host:compile(board, src, "@" .. name, true)
    end
    R.loadfile = loadfile_
    R.dofile = function(name)
      local fn, err = loadfile_(name)
      if not fn then error(err, 0) end
      return fn()
    end
    R.file, R.io = api.file.create(host, board)
    if board.console then R.uart = api.uart.create(host, board) end
    for _, m in ipairs(board.firmware_modules or {}) do
      if m == "encoder" then R.encoder = api.encoder.create() end
    end
  end
  R.tmr = api.tmr.create(host, board)
  R.node = api.node.create(host, board)
  R.net = api.net.create(host, board)
  R.wifi = api.wifi.create(host, board)
  R.bit = api.bit.create(host, board)

  for k, v in pairs(R) do
    if k ~= "package" then mark_rom(rom, v) end
  end
  rom[R] = true
  rom[getmetatable(env)] = true
  for name, v in pairs(R) do
    if name ~= "package" and type(v) == "table" then loaded[name] = v end
  end
  loaded._G = env
end

return M
