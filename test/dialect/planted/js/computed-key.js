// expect: computed-key x2
function f(t){return{[t]:1}}class e{[t.name](){}}exports.f=f,exports.C=e;
