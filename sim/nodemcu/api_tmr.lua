-- tmr: timer objects (tmr.create) with the semantics of app/modules/tmr.c (ESP8266 `release`) and
-- components/modules/tmr.c (ESP32 `dev-esp32`).
--
--   t:register(ms, mode, fn)  stops a running timer, stores fn; idle until start(). ms in 1..6870947.
--   t:start()                 true when armed; false when already running (ESP8266: start(true) re-arms).
--                             ESP32: an unregistered timer raises "timer not registered".
--   t:alarm(ms, mode, fn)     register + start; true.
--   t:stop()                  true when it was running. t:unregister(): back to unregistered.
--   t:interval(ms)            new interval; a running timer is re-armed with it.
--   t:state()                 running (bool), mode; nil when unregistered.
--   ALARM_SINGLE fires once and is then unregistered; ALARM_SEMI fires once and stays registered (start()
--   again); ALARM_AUTO repeats. Callbacks get the timer and run protected (luaL_pcallx): an error goes to
--   the onerror hook (default: print, restart 2 s later).
--   ESP32 timers count FreeRTOS ticks (rtos_tick_ms, 10 ms): intervals are cut to whole ticks and an
--   interval under one tick cannot create a timer. ESP32 has no tmr.now / tmr.time / tmr.delay.
--   ESP8266 extras: tmr.now() (µs since boot, 31 bits), tmr.time() (s), tmr.delay(us) (busy wait,
--   emulated as a no-op that reports a fault), tmr.wdclr(), tmr.softwd(), tmr.ccount().
local M = {}

local SINGLE, AUTO, SEMI, OFF = 0, 1, 2, 3
local MAX = 6870947

local function argerr(n, fname, msg)
  error(string.format("bad argument #%d to '%s' (%s)", n, fname, msg), 0)
end

local function checkint(v, n, fname)
  local x = tonumber(v)
  if type(v) ~= "number" and not (type(v) == "string" and x) then
    argerr(n, fname, "number expected, got " .. (v == nil and "no value" or type(v)))
  end
  return math.floor(x)
end

function M.create(host, board)
  local esp32 = board.chip == "esp32"
  local states = host.opaque
  local range_msg = esp32 and "Range: 1-6870947" or "Range: 1-0x68D7A3"
  local methods = {}
  local mt = { __index = methods, __tostring = function(t) return "tmr.timer: " .. (tostring(states[t]):match("0x%x+") or "?") end }

  local function st_of(obj, fname)
    local st = type(obj) == "table" and states[obj]
    if not st or st.kind ~= "timer" then
      argerr(1, fname, "tmr.timer expected, got " .. (obj == nil and "no value" or type(obj)))
    end
    return st
  end

  local function disarm(st)
    if st.entry then st.entry.cancelled = true end
    st.entry = nil
  end

  local arm
  local function fire(st, obj)
    st.entry = nil
    local fn = st.cb
    if st.mode == SINGLE then
      st.cb = nil
      st.mode = OFF
      st.idle = false
      board.running_timers[obj] = nil
    elseif st.mode == SEMI then
      st.idle = true
      board.running_timers[obj] = nil
    else
      arm(st, obj, st.due + st.period)
    end
    if fn then host:invoke(board, true, fn, obj) end
  end

  -- Arms the timer to fire at `due` (host clock); repeating timers keep their phase unless late.
  arm = function(st, obj, due)
    local now = host:clock()
    if not due or due < now - st.period then due = now + st.period end
    st.due = due
    st.entry = host:at(due - now, 2, board, function() fire(st, obj) end)
    board.running_timers[obj] = true
  end

  local function period_of(st, ms)
    if not esp32 then return ms end
    local tick = board.rtos_tick_ms
    local ticks = math.floor(ms / tick)
    if ticks < 1 then
      host:fault(board, "tmr-below-tick", string.format("interval=%d tick=%d", ms, tick))
      error("FreeRTOS timer creation failed", 0)
    end
    return ticks * tick
  end

  local function register(obj, ms, mode, fn, fname)
    local st = st_of(obj, fname)
    ms = checkint(ms, 1, fname)
    if esp32 then
      if not (ms > 0 and ms <= MAX) then argerr(1, fname, range_msg) end
      mode = checkint(mode, 2, fname)
      if mode ~= SINGLE and mode ~= SEMI and mode ~= AUTO then argerr(2, fname, "Invalid mode") end
      if type(fn) ~= "function" then argerr(3, fname, "function expected, got " .. (fn == nil and "no value" or type(fn))) end
    else
      mode = checkint(mode, 2, fname)
      if not (ms > 0 and ms <= MAX) then argerr(1, fname, range_msg) end
      if mode ~= SINGLE and mode ~= SEMI and mode ~= AUTO then argerr(2, fname, "Invalid mode") end
      if type(fn) ~= "function" then argerr(3, fname, "Must be function") end
    end
    local period = period_of(st, ms)
    disarm(st)
    board.running_timers[obj] = nil
    st.cb = fn
    st.mode = mode
    st.idle = true
    st.interval = ms
    st.period = period
  end

  local function start(obj, restart, fname)
    local st = st_of(obj, fname)
    if esp32 then
      if not st.cb then error("timer not registered", 0) end
      if not st.idle then return false end
    else
      if restart ~= nil and type(restart) ~= "boolean" then argerr(1, fname, "boolean expected") end
      if not (st.idle or restart) then return false end
      if st.mode == OFF then
        -- os_timer armed without a Lua callback: nothing will ever run
        st.idle = false
        return true
      end
    end
    disarm(st)
    st.idle = false
    arm(st, obj)
    return true
  end

  function methods.register(obj, ms, mode, fn)
    register(obj, ms, mode, fn, "register")
  end

  function methods.start(obj, restart)
    return start(obj, restart, "start")
  end

  function methods.alarm(obj, ms, mode, fn)
    register(obj, ms, mode, fn, "alarm")
    return start(obj, nil, "alarm")
  end

  function methods.stop(obj)
    local st = st_of(obj, "stop")
    local running = st.mode ~= OFF and not st.idle
    board.running_timers[obj] = nil
    if running then disarm(st) end
    if st.mode ~= OFF then st.idle = true end
    return running
  end

  function methods.unregister(obj)
    local st = st_of(obj, "unregister")
    disarm(st)
    board.running_timers[obj] = nil
    st.cb = nil
    st.mode = OFF
    st.idle = false
  end

  function methods.interval(obj, ms)
    local st = st_of(obj, "interval")
    ms = checkint(ms, 1, "interval")
    if not (ms > 0 and ms <= MAX) then argerr(1, "interval", range_msg) end
    if st.mode ~= OFF then
      st.period = period_of(st, ms)
      st.interval = ms
      if not st.idle then
        disarm(st)
        arm(st, obj)
      end
    end
  end

  function methods.state(obj)
    local st = st_of(obj, "state")
    if st.mode == OFF then return nil end
    return not st.idle, st.mode
  end

  local tmr = {
    ALARM_SINGLE = SINGLE,
    ALARM_SEMI = SEMI,
    ALARM_AUTO = AUTO,
  }

  function tmr.create()
    local obj = setmetatable({}, mt)
    local st = { kind = "timer", mode = OFF, idle = false, size = 40 }
    st.children = function() return { st.cb } end
    states[obj] = st
    return obj
  end

  function tmr.wdclr() end

  if not esp32 then
    local function us_since_boot()
      return (host:clock() - board.boot_clock) * 1000 + board.clock_offset_us
    end
    function tmr.now()
      return math.floor(us_since_boot() % 2147483648)
    end
    function tmr.time()
      return math.floor(us_since_boot() / 1000000)
    end
    function tmr.ccount()
      return math.floor(us_since_boot() * 80 % 4294967296)
    end
    function tmr.delay(us)
      us = checkint(us, 1, "delay")
      if us <= 0 then argerr(1, "delay", "wrong arg range") end
      host:fault(board, "tmr-delay", string.format("busy wait of %d us (blocks the SDK; nodemcu.md §5)", us))
    end
    function tmr.softwd() end
  end

  return tmr
end

return M
