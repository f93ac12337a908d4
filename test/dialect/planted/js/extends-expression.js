// expect: extends-expression x1
function f(t){return class extends t{}}class e extends(f(Object)){}exports.C=e;
