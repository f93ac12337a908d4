// expect: dialect/no-array-holes "array hole"
// expect: dialect/no-array-holes "`undefined` array element"
export const HOLE = [1, , 3];
export const NIL = [1, undefined, 3];
