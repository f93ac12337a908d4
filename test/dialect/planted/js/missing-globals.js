// expect: missing-global x9
exports.m=new Map,exports.s=new Set,exports.w=new WeakMap,exports.ws=new WeakSet,exports.y=Symbol("x"),exports.b=BigInt(1),exports.te=new TextEncoder,exports.td=new TextDecoder,setImmediate(function(){});
