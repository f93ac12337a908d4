// A Lua table constructor for a flat config object (strings, numbers, booleans, lists of strings), as
// written to a NodeMCU board's config.lua. Strings are escaped byte by byte, so any UTF-8 survives.
function luaString(text) {
  let out = '"';
  for (const b of Buffer.from(text, "utf8")) {
    out += b >= 0x20 && b <= 0x7e && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, "0")}`;
  }
  return out + '"';
}

function luaValue(value, key) {
  if (typeof value === "string") return luaString(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return `{${value.map(luaString).join(",")}}`;
  throw new Error(`config.${key}: cannot be written to config.lua (${JSON.stringify(value)})`);
}

export function luaTable(obj) {
  const fields = Object.entries(obj).filter(([, v]) => v !== undefined).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`config key ${JSON.stringify(k)} is not a Lua name`);
    return `${k}=${luaValue(v, k)}`;
  });
  return `{${fields.join(",")}}`;
}
