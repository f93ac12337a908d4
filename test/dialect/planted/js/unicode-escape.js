// expect: unicode-escape x2
exports.a="\u{e9}",exports.b=`\u{20ac}`,exports.c="\u00e9";
