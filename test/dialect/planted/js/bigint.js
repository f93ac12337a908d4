// expect: bigint x1
exports.big=10n;
