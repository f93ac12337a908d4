-- node: the parts of app/modules/node.c (ESP8266 `release`) and components/modules/node.c (ESP32
-- `dev-esp32`) an application core needs.
--
--   node.heap()          free heap: heap_budget minus what the board uses (heap.lua).
--   node.restart()       the board reboots once the running callback returns.
--   node.setonerror(fn)  fn(traceback) replaces the default error hook (print, then restart after 2 s)
--                        for errors in protected callbacks; node.setonerror() restores the default.
--                        It is not called for an ESP8266 net-callback PANIC.
--   node.task.post([prio,] fn)  fn(prio) runs as a task; HIGH before MEDIUM before LOW.
--   node.info(group)     "build_config" → { ssl, lfs_size, modules, number_type (spec `numbers`) };
--                        also "hw", "sw_version", "lfs"; ESP8266 without a group: 8 legacy values.
--   node.chipid()        ESP8266: a number; ESP32: a string "0x…".
--   node.uptime()        ESP32 only (not in ESP8266 `release`): µs since boot. Float builds return
--                        (µs, 0); integer builds return the low 31 bits and the next 31 bits.
--   node.egc             Lua 5.1 builds only (both chips): setmode(mode[, level]) is accepted;
--                        constants NOT_ACTIVE, ON_ALLOC_FAILURE, ON_MEM_LIMIT, ALWAYS. ESP8266 also
--                        has egc.meminfo().
--   node.bootreason()    raw code and extended reason of the last reset.
--   node.compile(name)   boards with files: compiles name (must end in ".lua": "not a .lua file") and
--                        writes stripped bytecode (the host's string.dump; 5.1 cannot strip) to name.lc;
--                        a compile error is raised as the firmware does, and so is "not enough memory"
--                        when the compiled code does not fit in the free heap.
--   node.input(s)        console boards: s goes into the console's stdin pipe (one line per "\n").
--   Not emulated: node.output (3.0 hands the callback a pipe), node.dsleep, node.LFS.reload.
local M = {}

local function argerr(n, fname, msg)
  error(string.format("bad argument #%d to '%s' (%s)", n, fname, msg), 0)
end

local REASONS = { -- last reset → raw code, extended reason (docs/modules/node.md)
  ["power-on"] = { 1, 0 }, restart = { 2, 4 }, onerror = { 2, 4 }, panic = { 2, 2 }, heap = { 2, 2 },
  wdt = { 4, 3 }, external = { 3, 6 }, -- external: the reset pin (the simulator's `reset` fault)
}

function M.create(host, board)
  local esp32 = board.chip == "esp32"
  local node = {}

  function node.heap()
    return math.floor(host:heap_free(board))
  end

  function node.restart()
    board.restart_requested = true
  end

  function node.setonerror(fn)
    if type(fn) == "function" then
      board.onerror = fn
    else
      board.onerror = nil
    end
  end

  function node.bootreason()
    local r = REASONS[board.last_reset or "power-on"] or { 2, 4 }
    return r[1], r[2]
  end

  local chip = 0x00A00000 + board.index * 4099 + board.seed % 4096
  if esp32 then
    function node.chipid() return string.format("0x%x", 0x30AEA4000000 + chip) end
    function node.chipmodel() return "esp32" end
  else
    function node.chipid() return chip end
  end

  local lfs_size = board.lfs_size or 0x20000
  local names = { "bit", "net", "node", "tmr", "wifi" }
  if board.fs then names[#names + 1] = "file" end
  if board.console then names[#names + 1] = "uart" end
  for _, m in ipairs(board.firmware_modules or {}) do names[#names + 1] = m end
  table.sort(names)
  local modules = table.concat(names, ",")
  local function build_config()
    local t = {
      ssl = esp32,
      lfs_size = lfs_size,
      modules = modules,
      number_type = board.numbers == "integer" and "integer" or "float",
    }
    if esp32 then t.esp_console = "uart" end
    return t
  end

  local groups = esp32 and { "lfs", "hw", "sw_version", "build_config", "default" }
    or { "lfs", "hw", "sw_version", "build_config", "legacy" }
  function node.info(group)
    if group == nil then group = groups[5] end
    local ok = false
    for _, g in ipairs(groups) do if g == group then ok = true end end
    if not ok then argerr(1, "info", "invalid option '" .. tostring(group) .. "'") end
    if group == "build_config" then return build_config() end
    if group == "lfs" then
      return { lfs_base = 0x100000, lfs_mapped = 0x40300000, lfs_size = lfs_size, lfs_used = math.floor(board.lfs_bytes) }
    end
    if group == "hw" then
      if esp32 then
        return { chip_model = "esp32", chip_features = 50, chip_major_rev = 3, chip_minor_rev = 0, cpu_cores = 2,
          flash_size = 4096, flash_id = 1458400 }
      end
      return { chip_id = chip, flash_id = 1458400, flash_size = 4096, flash_mode = 0, flash_speed = 40000000 }
    end
    if group == "sw_version" then
      return { node_version_major = 3, node_version_minor = 0, node_version_revision = 0,
        git_branch = esp32 and "dev-esp32" or "release", git_commit_id = "emulator", git_release = "3.0.0-emulator",
        git_commit_dts = "202400000000" }
    end
    if esp32 then return {} end
    return 3, 0, 0, chip, 1458400, 4096, 0, 40000000
  end

  node.task = { LOW_PRIORITY = 0, MEDIUM_PRIORITY = 1, HIGH_PRIORITY = 2 }
  function node.task.post(a, b)
    local prio, fn, n = 1, a, 1
    if type(a) == "number" then
      prio = math.floor(a)
      if prio < 0 or prio > 2 then argerr(1, "post", "invalid  priority") end
      fn, n = b, 2
    end
    if type(fn) ~= "function" then
      if esp32 then argerr(n, "post", "invalid function") end
      argerr(n, "post", "function expected, got " .. (fn == nil and "no value" or type(fn)))
    end
    local key = {}
    board.pending_tasks[key] = fn
    host:post(prio, board, function()
      board.pending_tasks[key] = nil
      host:invoke(board, true, fn, prio)
    end)
  end

  if _VERSION == "Lua 5.1" then
    node.egc = { NOT_ACTIVE = 0, ON_ALLOC_FAILURE = 1, ON_MEM_LIMIT = 2, ALWAYS = 4 }
    function node.egc.setmode(mode, level)
      if type(mode) ~= "number" then
        argerr(1, "setmode", "number expected, got " .. (mode == nil and "no value" or type(mode)))
      end
      level = level or 0
      if mode < 0 or mode > 7 then argerr(1, "setmode", "invalid mode") end
      if mode % 4 >= 2 and (esp32 and level <= 0 or level == 0) then argerr(1, "setmode", "limit must be non-zero") end
      board.egc_mode, board.egc_level = mode, level
    end
    if not esp32 then
      function node.egc.meminfo()
        local used = math.floor(host:board_used(board))
        return used, used
      end
    end
  end

  if board.fs then
    function node.compile(name)
      if type(name) ~= "string" then argerr(1, "compile", "string expected, got " .. (name == nil and "no value" or type(name))) end
      if #name < 4 or name:sub(-4) ~= ".lua" then error("not a .lua file", 0) end
      local src = board.fs:read(name)
      if not src then error("cannot open " .. name .. ": " .. (esp32 and "No such file or directory" or ""), 0) end
      local fn, err = host:load_chunk(board, src, "@" .. name, true)
      if not fn then error(err, 0) end
      if not board.fs:write(name:sub(1, -3) .. "c", string.dump(fn, true)) then error("writing to file failed", 0) end
    end
  end

  if board.console then
    function node.input(s)
      if type(s) ~= "string" then argerr(1, "input", "string expected, got " .. (s == nil and "no value" or type(s))) end
      board.console:push(s)
    end
  end

  if esp32 then
    function node.uptime()
      local us = math.floor((host:clock() - board.boot_clock) * 1000)
      if board.numbers == "integer" then
        return us % 2147483648, math.floor(us / 2147483648) % 2147483648
      end
      return us + 0.0, 0
    end
  end

  return node
end

return M
