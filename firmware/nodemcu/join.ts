// The out-queue's ring on NodeMCU, for the test builds (the board's adapter, io.ts, has the same
// ioJoin): ops joined for one write by table.concat over the range, which copies each byte once (a ..
// loop would copy the growing string again for every op); their payloads let go. No slot is removed:
// that would free nothing, as a Lua table keeps its array part until a rehash (ltable.c).
export function ioJoin(parts: string[], from: number, to: number): string {
  // eslint-disable-next-line no-restricted-syntax -- Lua's table.concat, not Array#concat
  const s = luaTable.concat(parts, "", from + 1, to);
  for (let i = from + 1; i < to; i += 3) {
    parts[i] = "";
  }
  return s;
}
