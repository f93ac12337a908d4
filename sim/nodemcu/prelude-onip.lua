-- Test-app prelude shared by the Lua specs and the node tests: onip(fn) runs fn once the station has
-- an IP, on either chip (ESP8266 eventmon; ESP32 sta.on + start + config + connect).
local function onip(fn)
  if wifi.eventmon then
    wifi.eventmon.register(wifi.eventmon.STA_GOT_IP, function() fn() end)
  else
    wifi.sta.on("got_ip", function() fn() end)
    wifi.mode(wifi.STATION)
    wifi.start()
    wifi.sta.config({ ssid = "test", pwd = "password" })
    wifi.sta.connect()
  end
end
