// expect: dialect/integer-literal "literal `2147483648` reaches 2^31" x1
export const TOO_BIG = 2147483648;
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
