// expect: use-before-declaration x1
function f(t){const e=s+t;const s=2;return e}exports.f=f;
