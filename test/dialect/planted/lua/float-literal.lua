-- expect: float-literal x4
-- Integer-only NodeMCU 5.1 rejects these with "malformed number"; the 0.5 in this comment, in
-- "0.5" and in --[[ 1.5 ]] must not count.
local half = 0.5
local billion = 1e9
local three = 3.0
local point = .25
local text = "0.5" --[[ 1.5 ]]
return half + billion + three + point + #text
