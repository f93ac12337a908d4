// The out-queue's ring on NodeMCU: ops joined for one write by table.concat over the range, which
// copies each byte once (a .. loop would copy the growing string again for every op). Empty slots are
// kept: removing them would free nothing, as a Lua table keeps its array part until a rehash (ltable.c),
// which a table with no hash keys never has, and would cost a table.remove call per slot.
export function ioJoin(parts: string[], from: number, to: number): string {
  // eslint-disable-next-line no-restricted-syntax -- Lua's table.concat, not Array#concat
  return luaTable.concat(parts, "", from + 1, to);
}

export function ioTrim(_parts: string[], _keep: number): void {
  // nothing to give back (above)
}
