// expect: no-restricted-syntax "push with several arguments"
export const xs: number[] = [];
xs.push(1, 2);
