// expect: spread x3
function f(t){return Math.max(...t)+[...t].length+Object.keys({...t}).length}exports.f=f;
