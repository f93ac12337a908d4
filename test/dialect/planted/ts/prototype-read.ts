// expect: no-restricted-syntax "`X.prototype.m` read"
export const slice = Array.prototype.slice;
