// expect: logical-assignment x3
function f(t){return t.a??=1,t.b||=2,t.c&&=3,t}exports.f=f;
