-- uart: the console UART (id 0) of a board with a console (console.lua); app/modules/uart.c (ESP8266)
-- and components/modules/uart.c (ESP32).
--   uart.write(id, ...) strings and byte values (0..255) go to the console as they are (no line-ending
--   conversion, unlike print). uart.setup(id, baud, databits, parity, stopbits[, echo]) → baud; on
--   ESP8266 echo 0 turns the console's input echo off. Other ids raise "uart <id> does not exist".
-- Not emulated: uart.on (input diverted from the Lua interpreter), uart.alt, uart.getconfig.
local M = {}

function M.create(host, board)
  local uart = { STOPBITS_1 = 1, STOPBITS_1_5 = 4, STOPBITS_2 = 2, PARITY_NONE = 0, PARITY_EVEN = 1, PARITY_ODD = 2 }

  local function check_id(id, fname)
    if type(id) ~= "number" then
      error("bad argument #1 to '" .. fname .. "' (number expected, got " .. (id == nil and "no value" or type(id)) .. ")", 0)
    end
    if id ~= 0 then error("uart " .. id .. " does not exist", 0) end
  end

  function uart.write(id, ...)
    check_id(id, "write")
    local out = {}
    for i = 1, select("#", ...) do
      local v = select(i, ...)
      if type(v) == "number" then
        if v < 0 or v > 255 then error("invalid number", 0) end
        out[#out + 1] = string.char(math.floor(v))
      elseif type(v) == "string" then
        out[#out + 1] = v
      else
        error("bad argument #" .. (i + 1) .. " to 'write' (string expected, got " .. type(v) .. ")", 0)
      end
    end
    board.console:write(table.concat(out), true)
  end

  function uart.setup(id, baud, _, _, _, echo)
    check_id(id, "setup")
    if board.chip == "esp8266" and echo ~= nil then board.console.echo = echo ~= 0 end
    return baud
  end

  return uart
end

return M
