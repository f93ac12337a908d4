-- expect: none
-- Integer-only code in the shape TSTL emits: floats only inside strings and comments (0.5, 1e9),
-- hex with E digits, a long comment --[[ 2.5 ]] and nested long brackets.
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__New = ____lualib.__TS__New
local ____exports = {}
--[==[ a long comment with 3.14 and ]] inside ]==]
local MASK = 0xE5
local TEXT = "version 1.5e3 \" 2.5"
local LONG = [[
6.02e23 ]=] still a string
]]
____exports.Parser = __TS__Class()
local Parser = ____exports.Parser
Parser.name = "Parser"
function Parser.prototype.____constructor(self)
    self.need = 0
    self.buf = ""
end
function Parser.prototype.half(self, n)
    return math.floor(n / 2) + MASK + #TEXT + #LONG
end
____exports.parser = __TS__New(Parser)
return ____exports
