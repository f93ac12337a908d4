// expect: call-before-declaration x1
// Constructing `t` runs its constructor, which reads `e` before `const e` has run.
class t{constructor(){this.limit=e}}const s=new t;const e=1024;exports.s=s;
