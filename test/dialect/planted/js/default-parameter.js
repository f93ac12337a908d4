// expect: default-parameter x1
function f(t=1){return t}exports.f=f;
