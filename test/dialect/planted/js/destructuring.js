// expect: destructuring x3
function f(t){const{a:e}=t,[s]=t.list;let r;return[r]=t.list,e+s+r}exports.f=f;
