// expect: tagged-template x1
function t(t){return t[0]}exports.s=t`x`;
