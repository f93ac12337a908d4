-- expect: compile-5.1 x1
-- Lua 5.3 floor division; NodeMCU's default 5.1 has no `//`.
local x = 7 // 2
return x
