-- expect: int32-literal x1
-- NodeMCU 5.3 is int32: 4294967295 (TSTL's StringSplit default limit) can't be an integer there.
local limit = 4294967295
local min = -2147483648
return limit + min
