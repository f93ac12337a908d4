-- expect: compile-5.3 x1
-- `goto` is a plain name in Lua 5.1 but a keyword since 5.2.
local goto = 1
return goto
