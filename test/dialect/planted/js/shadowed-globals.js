// expect: none
// Locals named like missing built-ins are not the built-ins.
function f(Map,Symbol){return new Map(Symbol)}function g(){const Set=[];return Set.length}exports.f=f,exports.g=g;
