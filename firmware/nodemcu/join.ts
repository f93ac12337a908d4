// Joining queued ops for one write on NodeMCU: table.concat over the range copies each byte once (a ..
// loop would copy the growing string again for every op).
export function ioJoin(parts: string[], from: number, to: number): string {
  // eslint-disable-next-line no-restricted-syntax -- Lua's table.concat, not Array#concat
  return luaTable.concat(parts, "", from + 1, to);
}
