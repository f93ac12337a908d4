// expect: dialect/integer-literal "non-integer literal `0.5`"
// expect: dialect/integer-literal "non-integer literal `1e9`"
export const HALF = 0.5;
export const BILLION = 1e9;
export const HEX = 0xee;
