// expect: rest x1
function f(...t){return t.length}exports.f=f;
