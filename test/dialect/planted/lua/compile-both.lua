-- expect: compile-5.1 x1
-- expect: compile-5.3 x1
local = 1
