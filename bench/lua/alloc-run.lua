-- Lua heap bytes per operation (test/lua/alloc.lua, collector stopped) for bench/run.js, as one line of
-- JSON: publish, burst publish, delivery (pubsub test build), request with its reply (full), idle tick.
--   lua alloc-run.lua <build/test directory> <n>
package.path = "./test/lua/?.lua;" .. package.path
local alloc = require("alloc")
local builds, n = arg[1], tonumber(arg[2])
local pubsub = dofile(builds .. "/nodemcu-pubsub/client.lua")
local full = dofile(builds .. "/nodemcu-full/client.lua")
local publish, burst, delivery = alloc.run(pubsub, n)
local request = alloc.request(full, n)
local idle = alloc.idle(pubsub, n)
print(string.format('{"publish":%.1f,"burstPublish":%.1f,"delivery":%.1f,"request":%.1f,"idleTick":%.2f}',
  publish, burst, delivery, request, idle))
