// expect: generator x2
function*f(){yield 1}exports.f=f;
