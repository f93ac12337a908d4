-- NodeMCU emulator host: boots several simulated NodeMCU boards in one Lua process and runs their
-- unchanged NodeMCU Lua code from one event loop.
--
--   lua5.1 sim/nodemcu/host.lua spec.lua        (or lua5.3; needs LuaSocket: apt-get install -y lua5.1 lua-socket)
--
-- SPEC: spec.lua returns a table
--   {
--     duration_ms = 10000,        -- stop after this long; nil: run until stdin says "stop" or reaches EOF
--                                 -- stdin also takes "wifi <board id> down|up" (its access point goes away
--                                 -- or comes back) and "reset <board id> down|up" (its reset pin held: off,
--                                 -- state lost; released: boots again), the simulator's board faults
--     heap_report_ms = 1000,      -- period of the `heap` lines (0: none)
--     boards = {
--       { id = "esp8266-nodemcu-1",  -- no spaces; names the board in reports
--         chip = "esp8266",           -- or "esp32": selects the firmware branch emulated (release / dev-esp32)
--         heap_budget = 40000,        -- heap bytes free at boot; node.heap() = budget - used (heap.lua)
--         recv_chunk_max = 1460,      -- largest "receive" chunk
--         send_max = 1460,            -- largest allowed send
--         seed = 1,                   -- seeds the receive chunking
--         numbers = "float",          -- or "integer": node.info("build_config").number_type, node.uptime()
--         modules = { nats_mcu = "/abs/build/esp8266-nodemcu/nats_mcu.lua" }, -- require() names → files
--         app = "/abs/app.lua",       -- run at every boot like init.lua (or app_source = "lua code")
--         config = { ... },           -- plain table: require("config") returns a fresh copy per boot
--         -- optional: lfs = true (modules are LFS images, their code costs no heap; false: charged),
--         -- ip_at_boot (esp8266: true, esp32: false), ip, wifi_ms = 5, reboot_ms = 100,
--         -- max_reboots = 20, sent_delay_ms = 0, rtos_tick_ms = 10, wdt_ms = 3000,
--         -- onerror_restart_ms = 2000, clock_offset_us = 0, heap_check_ms = 0, lfs_size
--         -- A console board (console.lua; sim/nodemcu/console.js starts one) has files and a Lua console
--         -- instead of app/modules/config: it boots blank or with what its directory holds.
--         -- fs = { dir = "/abs/dir", files = { "init.lua", ... }, size = 3441461 },  -- the board's files
--         -- console = { host = "127.0.0.1", port = 0 },  -- its UART console on a TCP port (0: any)
--         -- firmware_modules = { "encoder" },            -- optional C modules (none by default)
--       },
--     },
--   }
--
-- REPORTS: one line per event on stdout:
--   @@ <board id> <kind> <detail>
-- <board id> is "-" for the host itself. <detail> is one line: "\" is written "\\", newline "\n",
-- carriage return "\r", tab "\t", and every other byte below 0x20 or from 0x7f up as "\ddd" (3 decimal
-- digits); it may be empty (then the line ends after <kind>). Kinds:
--   start   lua=5.1 boards=N                        (host) the emulator started
--   console port=<n>                                a console board's console listens on this port
--   boot    <n> reason=<last reset> chip=<chip> lua=<5.x> budget=<bytes>
--                                                   the board (re)booted; reason: power-on, panic, heap,
--                                                   restart, onerror, wdt
--   print   <text>                                  the app's print() (arguments joined by tabs);
--                                                   on a console board also written to its console
--   fault   <rule> <detail>                         the app broke a device rule (nodemcu.md §4); rules:
--                                                   send-in-flight, send-too-large, send-before-connection,
--                                                   connect-without-ip, tmr-below-tick, tmr-delay
--   crash   <traceback>                             an error in a protected callback (tmr, node.task, wifi,
--                                                   ESP32 net) or in the app's main chunk; it goes to the
--                                                   onerror hook (default: print it, reboot 2 s later)
--   panic   PANIC: unprotected error in call to Lua API (<message>)
--                                                   an error in an ESP8266 net callback; a reboot follows
--   reboot  <reason> [<detail>]                     reason: panic, heap (used > budget), restart
--                                                   (node.restart), onerror (default error hook), wdt
--   halt    <detail>                                too many reboots; the board stays off
--   heap    <free> used=<n> data=<n> code=<n> buffers=<n> lfs=<n>
--                                                   periodic; free = node.heap()
--   net     <event> <detail>                        connect, connected, closed-by-peer, error, close,
--                                                   blocked, got-ip (diagnostics)
--   exit    <reason>                                (host) the run ended: duration, stop, eof
local DIR = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"

local ok_socket, socket = pcall(require, "socket")
if not ok_socket then
  io.stderr:write("nodemcu emulator: LuaSocket is missing for ", _VERSION,
    ": install it with: apt-get install -y lua5.1 lua5.3 lua-socket\n", tostring(socket), "\n")
  os.exit(3)
end

local emulator = dofile(DIR .. "emulator.lua")

local spec_path = arg and arg[1]
if not spec_path then
  io.stderr:write("usage: lua5.x sim/nodemcu/host.lua spec.lua\n")
  os.exit(2)
end

local ok, spec = pcall(dofile, spec_path)
if not ok or type(spec) ~= "table" then
  io.stderr:write("nodemcu emulator: cannot load spec ", spec_path, ": ", tostring(spec), "\n")
  os.exit(2)
end

local created, host = pcall(emulator.new, spec)
if not created then
  io.stderr:write("nodemcu emulator: bad spec: ", tostring(host), "\n")
  os.exit(2)
end

-- stdin: a "stop" line ends the run; so does EOF when the spec has no duration_ms.
local stdin_reason
local stdin = { getfd = function() return 0 end, dirty = function() return false end }
io.stdin:setvbuf("no")
host:watch(stdin, function()
  local line = io.stdin:read("*l")
  if line == nil then
    if spec.duration_ms == nil then stdin_reason = "eof" end
    host:unwatch(stdin)
  elseif line:match("^%s*stop%s*$") then
    stdin_reason = "stop"
  else
    local what, id, how = line:match("^%s*(%a+)%s+(%S+)%s+(%a+)%s*$")
    local board = id and host:board(id)
    if board and what == "wifi" then host:wifi_ap(board, how == "up")
    elseif board and what == "reset" then host:reset_pin(board, how == "down")
    else host:report(nil, "stdin", "unknown command " .. line) end
  end
end)

local run_ok, reason = pcall(host.run, host, function() return stdin_reason end)
if not run_ok then
  host:report(nil, "exit", "error " .. tostring(reason))
  io.stderr:write("nodemcu emulator: ", tostring(reason), "\n")
  host:shutdown()
  os.exit(1)
end
host:report(nil, "exit", reason)
host:shutdown()
os.exit(0)
