-- busted spec shipped in the nats-mcu rock: loads nats_mcu under a scripted NodeMCU (net, tmr, node)
-- and checks the bytes it writes. `busted` in the rock's directory runs it (.busted).
local sent, sock, alarm = {}, nil, nil

local function fake_socket()
  local s = { handlers = {} }
  function s:on(event, fn) self.handlers[event] = fn end
  function s:connect(port, host) self.port, self.host = port, host end
  function s:send(data) sent[#sent + 1] = data end
  function s:close() end
  sock = s
  return s
end

_G.net = { createConnection = fake_socket }
_G.tmr = {
  ALARM_AUTO = 1, ALARM_SINGLE = 0,
  now = function() return 0 end,
  create = function()
    return { alarm = function(_, ms, mode, fn) alarm = fn end, unregister = function() end }
  end,
}
_G.node = { uptime = function() return 0 end, heap = function() return 40000 end }

local function written() return table.concat(sent) end

describe("nats_mcu (rock)", function()
  it("connects, answers the server's INFO with CONNECT and PING, and publishes", function()
    local nats = require("nats_mcu")
    local nc = nats.connect({ servers = "nats://127.0.0.1:4222", name = "rock" })
    local events = {}
    nc:onStatus(function(event) events[#events + 1] = event end)
    assert.is_truthy(alarm)
    alarm() -- the first tick opens the socket
    assert.are.equal(4222, sock.port)
    assert.are.equal("127.0.0.1", sock.host)
    sock.handlers.connection(sock)
    sock.handlers.receive(sock, 'INFO {"server_id":"x","max_payload":1048576}\r\n')
    assert.is_truthy(written():find('^CONNECT {.-"name":"rock".-}\r\nPING\r\n$'))
    sock.handlers.sent(sock)
    sock.handlers.receive(sock, "PONG\r\n")
    assert.are.same({ "connect" }, events)
    sent = {}
    assert.is_true(nc:publish("metrics.rock.t", "21"))
    assert.are.equal("PUB metrics.rock.t 2\r\n21\r\n", written())
    assert.is_false(nc:publish("bad subject", "x"))
    assert.are.equal("subject", nc:lastError())
  end)
end)
