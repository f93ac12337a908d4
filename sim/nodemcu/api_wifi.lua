-- wifi: a station that always finds its access point. Got-IP comes wifi_ms (default 5 ms) after the
-- station starts connecting. Until a board has an IP, net connections go nowhere (api_net.lua).
--
-- ESP8266 (`release`, app/modules/wifi.c, wifi_eventmon.c):
--   wifi.setmode(mode[, save]) → mode; wifi.getmode(); wifi.STATION/SOFTAP/STATIONAP/NULLMODE.
--   wifi.sta.config{ ssid=, pwd=, auto=true, save=, got_ip_cb=, connect_cb=, disconnect_cb= } → true;
--     with auto (default) the station (re)connects at once.
--   wifi.sta.connect(), wifi.sta.disconnect(), wifi.sta.autoconnect(n), wifi.sta.status(),
--   wifi.sta.getip() → ip, netmask, gateway (or nil), wifi.sta.getmac().
--   wifi.eventmon.register(wifi.eventmon.STA_GOT_IP, fn(T)) with T = { IP=, netmask=, gateway= };
--     STA_CONNECTED: { SSID=, BSSID=, channel= }; STA_DISCONNECTED: { SSID=, BSSID=, reason= }.
--   The station config is kept in flash, so by default (ip_at_boot) the ESP8266 reconnects by itself
--   at every boot: got-IP arrives wifi_ms after boot even if the app makes no wifi call.
-- ESP32 (`dev-esp32`, components/modules/wifi*.c): no auto-connect (removed from the IDF):
--   wifi.mode(mode[, save]); wifi.start() (fires "start"); wifi.sta.config(cfg[, save]);
--   wifi.sta.connect() (raises "connect failed, code 12290" before wifi.start());
--   wifi.sta.on(event, fn(event, info)) for "start", "stop", "connected" { ssid, bssid, channel, auth },
--   "disconnected" { ssid, bssid, reason }, "got_ip" { ip, netmask, gw }.
--   With ip_at_boot = true in the spec an ESP32 board has its IP at boot without any wifi call.
-- Event callbacks run protected (luaL_pcallx).
--
-- The access point can go away (the simulator's `wifi` fault: board.wifi_ap(false), later true): the
-- station loses its IP (ESP8266 STA_DISCONNECTED / ESP32 "disconnected" with reason 200, beacon timeout),
-- lwIP aborts the connections bound to the address (api_net.lua board.net_abort), and connect() has no
-- route until got-IP. The station keeps trying (the SDK's reconnect policy; the apps configure auto) and
-- rejoins when the access point is back: connected and got-IP events again. The AP's state belongs to
-- the board's surroundings, so it outlives a reboot. (ESP-IDF would keep the address until its lost-IP
-- timer; the emulator drops it at once.)
local M = {}

local function argerr(n, fname, msg)
  error(string.format("bad argument #%d to '%s' (%s)", n, fname, msg), 0)
end

function M.create(host, board)
  local esp32 = board.chip == "esp32"
  local cbs = board.wifi_cbs -- event → fn (also heap roots)
  local st = { mode = 1, started = false, ip = nil, ssid = nil, pending = nil }
  board.wifi = st
  local netmask, gateway = "255.255.255.0", board.ip:gsub("%d+$", "1")
  local bssid = "a4:2b:b0:00:00:01"

  local function has_ip() return st.ip ~= nil end
  board.has_ip = has_ip

  local function emit(event, info)
    local fn = cbs[event]
    if not fn then return end
    if esp32 then
      host:invoke(board, true, fn, event, info)
    else
      host:invoke(board, true, fn, info)
    end
  end

  local function lose_ip(reason)
    if st.pending then st.pending.cancelled = true; st.pending = nil end
    if st.ip then
      st.ip = nil
      host:post(1, board, function()
        if esp32 then
          emit("disconnected", { ssid = st.ssid or "", bssid = bssid, reason = reason })
        else
          emit(1, { SSID = st.ssid or "", BSSID = bssid, reason = reason })
        end
      end)
    end
  end

  local function associate()
    if st.pending or st.ip then return end
    if board.ap_down then st.want = true; return end -- no beacon: it keeps scanning
    st.pending = host:at(board.wifi_ms, 1, board, function()
      st.pending = nil
      st.ip = board.ip
      host:report(board, "net", "got-ip " .. board.ip)
      if esp32 then
        emit("connected", { ssid = st.ssid or "", bssid = bssid, channel = 6, auth = 3 })
        emit("got_ip", { ip = board.ip, netmask = netmask, gw = gateway })
      else
        emit(0, { SSID = st.ssid or "", BSSID = bssid, channel = 6 })
        emit(3, { IP = board.ip, netmask = netmask, gateway = gateway })
      end
    end)
  end

  -- The access point disappears (up = false) or comes back (up = true).
  function board.wifi_ap(up)
    if not up then
      board.ap_down = true
      if st.ip or st.pending then st.want = true end
      local had = st.ip ~= nil
      lose_ip(200) -- REASON_BEACON_TIMEOUT
      if had and board.net_abort then board.net_abort("wifi lost") end
    else
      board.ap_down = false
      if st.want then st.want = false; associate() end
    end
  end

  local wifi = { NULLMODE = 0, STATION = 1, SOFTAP = 2, STATIONAP = 3 }
  local sta = {}
  wifi.sta = sta

  function wifi.getmode() return st.mode end

  local function check_mode(mode, fname)
    if type(mode) ~= "number" then argerr(1, fname, "number expected, got " .. (mode == nil and "no value" or type(mode))) end
    return math.floor(mode)
  end

  function sta.getmac() return "a4:cf:12:00:00:" .. string.format("%02x", board.index % 256) end

  if esp32 then
    function wifi.mode(mode)
      mode = check_mode(mode, "mode")
      if mode < 0 or mode > 3 then error("invalid wifi mode " .. mode, 0) end
      st.mode = mode
      if mode % 2 == 0 then lose_ip(8) end
    end
    function wifi.start()
      if not st.started then
        st.started = true
        if st.mode % 2 == 1 then host:post(1, board, function() emit("start", {}) end) end
      end
    end
    function wifi.stop()
      if st.started then
        st.started = false
        lose_ip(8)
        host:post(1, board, function() emit("stop", {}) end)
      end
    end
    function sta.config(cfg)
      if type(cfg) ~= "table" then argerr(1, "config", "table expected, got " .. (cfg == nil and "no value" or type(cfg))) end
      if type(cfg.ssid) ~= "string" and type(cfg.ssid) ~= "number" then
        argerr(-1, "config", "string expected, got " .. (cfg.ssid == nil and "nil" or type(cfg.ssid)))
      end
      st.ssid = tostring(cfg.ssid)
    end
    function sta.connect()
      if not st.started then error("connect failed, code 12290", 0) end -- ESP_ERR_WIFI_NOT_STARTED
      if st.mode % 2 == 0 then error("connect failed, code 12293", 0) end -- ESP_ERR_WIFI_MODE
      associate()
    end
    function sta.disconnect()
      lose_ip(8)
    end
    local EVENTS = { start = true, stop = true, connected = true, disconnected = true, authmode_changed = true, got_ip = true }
    function sta.on(event, fn)
      if type(event) ~= "string" then argerr(1, "on", "string expected, got " .. (event == nil and "no value" or type(event))) end
      if fn ~= nil and type(fn) ~= "function" then argerr(2, "on", "function expected, got " .. type(fn)) end
      if not EVENTS[event] then error("unknown event: " .. event, 0) end
      cbs[event] = fn
    end
    if board.ip_at_boot then
      st.mode, st.started, st.ssid = 1, true, "emulated-ap"
      if board.ap_down then st.want = true else st.ip = board.ip end
    end
  else
    local eventmon = { STA_CONNECTED = 0, STA_DISCONNECTED = 1, STA_AUTHMODE_CHANGE = 2, STA_GOT_IP = 3,
      STA_DHCP_TIMEOUT = 4, AP_STACONNECTED = 5, AP_STADISCONNECTED = 6, AP_PROBEREQRECVED = 7,
      WIFI_MODE_CHANGED = 8, EVENT_MAX = 10 }
    wifi.eventmon = eventmon
    function eventmon.register(event, fn)
      event = check_mode(event, "register")
      if fn ~= nil and type(fn) ~= "function" then argerr(2, "register", "function expected") end
      cbs[event] = fn
    end
    function eventmon.unregister(event)
      cbs[check_mode(event, "unregister")] = nil
    end
    wifi.STA_IDLE, wifi.STA_CONNECTING, wifi.STA_WRONGPWD, wifi.STA_APNOTFOUND, wifi.STA_FAIL, wifi.STA_GOTIP = 0, 1, 2, 3, 4, 5
    function wifi.setmode(mode)
      mode = check_mode(mode, "setmode")
      if mode < 0 or mode > 3 then argerr(1, "setmode", "Invalid mode") end
      st.mode = mode
      if mode % 2 == 0 then lose_ip(8) end
      return mode
    end
    local auto = true
    function sta.config(cfg)
      if type(cfg) ~= "table" then argerr(1, "config", "config table not found!") end
      if cfg.ssid == nil then argerr(1, "config", "ssid required") end
      if type(cfg.ssid) ~= "string" then argerr(1, "config", "ssid:not string") end
      if cfg.auto ~= nil and type(cfg.auto) ~= "boolean" then argerr(1, "config", "auto:not boolean") end
      local map = { connect_cb = 0, disconnect_cb = 1, authmode_change_cb = 2, got_ip_cb = 3, dhcp_timeout_cb = 4 }
      for field, ev in pairs(map) do
        local f = cfg[field]
        if f ~= nil then
          if type(f) ~= "function" then argerr(1, "config", field .. ":not function") end
          cbs[ev] = f
        end
      end
      st.ssid = cfg.ssid
      auto = cfg.auto ~= false
      lose_ip(8)
      if auto and st.mode % 2 == 1 then associate() end
      return true
    end
    function sta.connect(fn)
      if type(fn) == "function" then cbs[0] = fn end
      if st.mode % 2 == 1 then associate() end
    end
    function sta.disconnect(fn)
      if type(fn) == "function" then cbs[1] = fn end
      lose_ip(8)
    end
    function sta.autoconnect(n) auto = n ~= 0 end
    function sta.status()
      if st.ip then return 5 end
      return st.pending and 1 or 0
    end
    function sta.getip()
      if not st.ip then return nil end
      return st.ip, netmask, gateway
    end
    if board.ip_at_boot then
      st.ssid = "emulated-ap"
      associate() -- the saved station config reconnects at boot
    end
  end

  return wifi
end

return M
