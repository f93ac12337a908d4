// expect: missing-method x3
function f(t,e){return t.finally(function(){}),e.trimStart()+e.codePointAt(0)}exports.f=f;
