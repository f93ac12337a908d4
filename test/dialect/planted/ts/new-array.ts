// expect: no-restricted-syntax "`new Array(n)`"
export const slots: number[] = new Array(8);
