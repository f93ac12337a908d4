// expect: use-before-declaration x1
// An IIFE runs in place, so its body counts as the enclosing statements.
(function(){exports.v=t()})();function t(){return 1}
