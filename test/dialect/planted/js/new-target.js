// expect: meta-property x1
function f(){return void 0!==new.target}exports.f=f;
