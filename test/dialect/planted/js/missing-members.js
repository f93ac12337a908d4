// expect: missing-member x11
exports.a=[Array.from("ab"),Array.of(1),Math.imul(2,3),Math.trunc(1),Math.clz32(1),Math.log2(8),Number.isInteger(1),Number.isNaN(1),Number.parseInt("1"),Number.EPSILON,Promise.race([])];
