// expect: use-before-declaration x1
exports.q=new t;class t{}
