// expect: call-before-declaration "uses `c`" x1
// `a` and `b` exist when `a()` runs, but `b` reads `c`, which is declared by a later statement.
function a(){return b()+1}function b(){return c}exports.x=a();const c=1;
