// expect: no-restricted-syntax "computed key"
const KEY = "sid";
export const o = { [KEY]: 1 };
