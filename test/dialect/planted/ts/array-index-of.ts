// expect: dialect/no-array-lualib-method "array `.indexOf()`" x1
// expect: dialect/no-array-lualib-method "array `.slice()`" x1
// String indexOf/slice are free (dialect.md §2), only the array forms are lualib.
declare const xs: number[];
declare const s: string;
export const at = xs.indexOf(3) + s.indexOf("x");
export const head = xs.slice(0, 1);
export const prefix = s.slice(0, 1);
