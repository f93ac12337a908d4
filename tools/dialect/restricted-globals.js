// Globals the dialect bans, for `no-restricted-globals` (dialect.md §4, §7).

const LUALIB = "a TSTL lualib feature of 4-9 KB and missing or different on Espruino";
const PARSE = "lualib ParseInt/Number per call (dialect.md §4); parse digits with charCodeAt";

const reasons = {
  Map: `Map: ${LUALIB} (dialect.md §4); use a dictionary object {[key: number]: T | undefined}`,
  Set: `Set: ${LUALIB} (dialect.md §4); use a dictionary object`,
  WeakMap: `WeakMap: ${LUALIB} (dialect.md §4)`,
  Symbol: `Symbol: ${LUALIB} (dialect.md §4)`,
  Promise: `Promise: 7.5 KB lualib and only basic on Espruino (dialect.md §4); use callbacks`,
  RegExp: "RegExp: TSTL compile error (dialect.md §4); scan with indexOf/charCodeAt",
  JSON: "JSON: no Lua equivalent in TSTL, Espruino aliases E.toString (dialect.md §4); format strings by hand",
  Uint8Array: "Uint8Array: compiles to nil in Lua and crashes at runtime (dialect.md §1, §4); use strings",
  ArrayBuffer: "ArrayBuffer: no Lua equivalent, crashes at runtime (dialect.md §4); use strings",
  DataView: "DataView: no Lua equivalent, crashes at runtime (dialect.md §4); use strings",
  parseInt: `parseInt: ${PARSE}`,
  parseFloat: "parseFloat: lualib ParseFloat and floats are banned (dialect.md §4)",
  Number: `Number(): ${PARSE}`,
  isNaN: "isNaN: lualib and NaN never arises from integer code (dialect.md §4)",
  Error: "Error: 4.7 KB lualib and Lua errors are strings (dialect.md §4); return a status code",
};

export const restrictedGlobals = Object.entries(reasons).map(([name, message]) => ({ name, message }));
