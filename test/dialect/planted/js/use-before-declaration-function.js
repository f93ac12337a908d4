// expect: use-before-declaration x1
// Espruino does not hoist: `e` does not exist yet when the first statement calls it.
exports.n=e(2);function e(t){return t+1}
