// expect: label x1
function f(t){t:for(const e of t)for(const s of e)if(s)break t}exports.f=f;
