// expect: call-before-declaration x1
// `r` itself is declared, but calling it runs `n`, which is declared by a later statement.
function r(t){return n(t)+1}exports.x=r(1);function n(t){return t}
