// expect: exponent x2
function f(t){let e=t**2;return e**=2,e}exports.f=f;
