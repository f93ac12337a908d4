-- Heap accounting for one simulated board: a reachability walk from the board's roots.
--
-- All boards share one host Lua state, so collectgarbage("count") cannot tell them apart. Instead the
-- emulator charges each board for what it keeps alive:
--
--   used = data + code + buffers
--
--   data     every object reachable from the board's roots (its _G, package.loaded, the callbacks and
--            sockets/timers the firmware holds for it, posted tasks, wifi handlers, the onerror hook),
--            priced with the object sizes of a 32-bit NodeMCU VM (below). Each object is counted once.
--            Library tables and API functions the emulator provides are ROM on the device (LROT
--            tables, light C functions) and cost nothing, and so do the names and string literals of
--            modules loaded from LFS (they sit in LFS's read-only string table). Locals of a frame that is still running are
--            not seen (the walk normally runs between callbacks, when there are none).
--   code     compiled chunks kept in RAM: measured with collectgarbage("count") around the compile (a
--            full collection before and after), in host bytes. Modules loaded from LFS cost nothing.
--   buffers  bytes the network stack holds for the board: one in-flight send (lwIP copies it) and
--            received chunks not yet delivered to the receive callback.
--
-- node.heap() = heap_budget - used. A walk is linear in the number of live objects.
local M = {}

local getinfo, getupvalue, getlocal = debug.getinfo, debug.getupvalue, debug.getlocal
local getmetatable_raw = debug.getmetatable
local upvalueid = debug.upvalueid -- 5.2+: lets shared upvalues be counted once
local getfenv = rawget(_G, "getfenv") -- 5.1 only

-- Object sizes (bytes) of NodeMCU's 32-bit VMs. 5.1: double numbers, so a TValue is 16 bytes with
-- padding and a hash node 32. 5.3 (int32/float32): TValue 8, node 20.
local MODELS = {
  ["5.1"] = { table = 32, slot = 16, node = 32, string = 17, closure = 20, upref = 4, upval = 32, thread = 112, frame = 48 },
  ["5.3"] = { table = 32, slot = 8, node = 20, string = 17, closure = 16, upref = 4, upval = 16, thread = 104, frame = 40 },
}

function M.model(lua_version)
  return MODELS[lua_version] or MODELS["5.1"]
end

local function pow2(n)
  if n == 0 then return 0 end
  local p = 1
  while p < n do p = p * 2 end
  return p
end

-- Bytes reachable from roots (a list), skipping objects in skip (weak set: ROM objects) and pricing
-- opaque objects (sockets, timers) with opaque[obj] = { size = n, children = function() ... end }.
function M.measure(roots, skip, opaque, model)
  local seen, stack, top, bytes = {}, {}, 0, 0
  local function push(v)
    local t = type(v)
    if t == "string" then
      if not seen[v] and not skip[v] then
        seen[v] = true
        bytes = bytes + model.string + #v
      end
    elseif t == "table" or t == "function" or t == "thread" then
      if not seen[v] and not skip[v] then
        seen[v] = true
        top = top + 1
        stack[top] = v
      end
    end
  end
  for i = 1, #roots do push(roots[i]) end
  while top > 0 do
    local v = stack[top]
    stack[top] = nil
    top = top - 1
    local t = type(v)
    if t == "table" then
      local op = opaque[v]
      if op then
        bytes = bytes + op.size
        local kids = op.children and op.children() or nil
        if kids then for i = 1, #kids do push(kids[i]) end end
      else
        local n = 0
        while rawget(v, n + 1) ~= nil do n = n + 1 end
        local k = 0
        for key, val in next, v do
          if not (type(key) == "number" and key >= 1 and key <= n and key % 1 == 0) then k = k + 1 end
          push(key)
          push(val)
        end
        bytes = bytes + model.table + pow2(n) * model.slot + pow2(k) * model.node
        push(getmetatable_raw(v))
      end
    elseif t == "function" then
      local info = getinfo(v, "Su")
      if info.what ~= "C" then
        local nups = info.nups or 0
        bytes = bytes + model.closure + nups * model.upref
        for i = 1, nups do
          local name, val = getupvalue(v, i)
          -- An upvalue shared by several closures is one object. 5.2+ can tell (upvalueid); on 5.1 the
          -- same name holding the same value is taken to be the same upvalue.
          local id = upvalueid and upvalueid(v, i) or (tostring(name) .. "\0" .. type(val) .. "\0" .. tostring(val))
          if not seen[id] then
            seen[id] = true
            bytes = bytes + model.upval
          end
          push(val)
        end
        if getfenv then push(getfenv(v)) end
      end
    else -- thread: its frames' functions and locals
      bytes = bytes + model.thread
      local level = 0
      while true do
        local fi = getinfo(v, level, "f")
        if not fi then break end
        bytes = bytes + model.frame
        push(fi.func)
        local i = 1
        while true do
          local name, val = getlocal(v, level, i)
          if name == nil then break end
          push(val)
          i = i + 1
        end
        level = level + 1
      end
    end
  end
  return bytes
end

return M
