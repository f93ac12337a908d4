// expect: static-block x1
class t{static{this.n=1}}exports.C=t;
