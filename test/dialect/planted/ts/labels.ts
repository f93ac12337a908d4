// expect: no-labels
export function first(rows: number[][]): number {
  outer: for (const row of rows) {
    for (const v of row) {
      if (v > 0) break outer;
    }
  }
  return 0;
}
