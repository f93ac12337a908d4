// Cuts a node:vm context's built-ins down to what genuine Espruino 2v29 offers, so code that would fail on a
// board fails here too. Members are kept by allow-list: the classes, static and prototype members that
// Espruino's own jswrap_*.c files declare (github.com/espruino/Espruino src/jswrap_object.c, _array.c,
// _string.c, _number.c, _math.c, _promise.c, _arraybuffer.c, _date.c, _regexp.c, _interactive.c), which agrees
// with the observed list in espruino.md §1 "Missing built-ins". Symbol-keyed members stay: V8 needs them to run
// for..of and String#replace/match/split with regular expressions, which Espruino supports natively.

// Globals V8 offers that Espruino lacks (espruino.md §1; RangeError, EvalError, URIError, escape and the
// *URI functions do not exist in Espruino's jswrap files either).
const MISSING_GLOBALS = [
  "Map", "Set", "WeakMap", "WeakSet", "Symbol", "BigInt", "BigInt64Array", "BigUint64Array", "Float16Array",
  "Proxy", "Reflect", "Intl", "WeakRef", "FinalizationRegistry", "SharedArrayBuffer", "Atomics", "WebAssembly",
  "AggregateError", "RangeError", "EvalError", "URIError", "Iterator", "escape", "unescape", "encodeURI", "decodeURI",
  "TextEncoder", "TextDecoder", "setImmediate", "clearImmediate", "queueMicrotask", "structuredClone",
];

// Members every prototype keeps because V8 routes them per type where Espruino has one Object method.
const ALWAYS = ["constructor", "toString", "valueOf", "length", "name", "prototype", "__proto__", "arguments", "caller"];

const KEEP = {
  Object: {
    statics: ["keys", "getOwnPropertyNames", "values", "entries", "fromEntries", "create", "getOwnPropertyDescriptor",
      "getOwnPropertyDescriptors", "defineProperty", "defineProperties", "getPrototypeOf", "setPrototypeOf", "assign"],
    // on/emit/... are Espruino's own event methods on every object; the firmware installs them
    proto: ["hasOwnProperty", "on", "addListener", "prependListener", "emit", "removeListener", "removeAllListeners"],
  },
  Array: {
    statics: ["isArray"],
    proto: ["indexOf", "includes", "join", "push", "pop", "map", "forEach", "filter", "find", "findIndex", "some", "every",
      "reduce", "splice", "shift", "unshift", "slice", "sort", "concat", "fill", "reverse"],
  },
  String: {
    statics: ["fromCharCode"],
    proto: ["charAt", "charCodeAt", "indexOf", "lastIndexOf", "match", "replace", "replaceAll", "substring", "substr", "slice",
      "split", "toLowerCase", "toUpperCase", "trim", "concat", "startsWith", "endsWith", "includes", "repeat", "padStart", "padEnd"],
  },
  Number: { statics: ["NaN", "MAX_VALUE", "MIN_VALUE", "NEGATIVE_INFINITY", "POSITIVE_INFINITY"], proto: ["toFixed"] },
  Boolean: { statics: [], proto: [] },
  Function: { statics: [], proto: ["call", "apply", "bind"] },
  Promise: { statics: ["all", "resolve", "reject"], proto: ["then", "catch"] },
  ArrayBuffer: { statics: [], proto: ["byteLength"] },
  DataView: {
    statics: [],
    proto: ["buffer", "byteLength", "byteOffset", "getFloat32", "getFloat64", "getInt8", "getInt16", "getInt32", "getUint8",
      "getUint16", "getUint32", "setFloat32", "setFloat64", "setInt8", "setInt16", "setInt32", "setUint8", "setUint16", "setUint32"],
  },
  Date: {
    statics: ["now", "parse"],
    proto: ["getTimezoneOffset", "getTime", "setTime", "getHours", "getMinutes", "getSeconds", "getMilliseconds", "getDay",
      "getDate", "getMonth", "getFullYear", "getUTCHours", "getUTCMinutes", "getUTCSeconds", "getUTCMilliseconds", "getUTCDay",
      "getUTCDate", "getUTCMonth", "getUTCFullYear", "setHours", "setMinutes", "setSeconds", "setMilliseconds", "setDate",
      "setMonth", "setFullYear", "toUTCString", "toISOString", "toJSON"],
  },
  Error: { statics: ["stackTraceLimit"], proto: ["message"] },
  JSON: { statics: ["parse", "stringify"] },
  Math: {
    statics: ["E", "PI", "LN2", "LN10", "LOG2E", "LOG10E", "SQRT2", "SQRT1_2", "abs", "acos", "asin", "atan", "atan2", "cos",
      "pow", "random", "round", "sin", "tan", "sqrt", "ceil", "floor", "exp", "log", "min", "max", "sign", "randInt", "clip", "wrap"],
  },
};

// %TypedArray% (Espruino's ArrayBufferView): no statics (Uint8Array.from/of are missing, espruino.md §1).
const TYPED_ARRAY_PROTO = ["buffer", "byteLength", "byteOffset", "set", "map", "subarray", "indexOf", "includes", "join", "sort",
  "forEach", "reduce", "fill", "filter", "find", "findIndex", "reverse", "slice", "some", "every"];
const TYPED_ARRAYS = ["Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array",
  "Float64Array", "Uint8ClampedArray"];

function prune(object, keep) {
  if (!object) return;
  const allowed = new Set([...keep, ...ALWAYS]);
  for (const key of Object.getOwnPropertyNames(object)) {
    if (!allowed.has(key) && !Reflect.deleteProperty(object, key)) throw new Error(`cannot remove ${key} from a built-in`);
  }
}

// Number.EPSILON and MAX/MIN_SAFE_INTEGER cannot be deleted (non-configurable), so the global Number is
// replaced by an equivalent function that shares Number.prototype and carries only Espruino's statics.
const NUMBER_WITHOUT_STATICS = `(function (RealNumber, statics) {
  var Number = function Number(value) {
    var n = arguments.length === 0 ? 0 : RealNumber(value);
    return new.target ? new RealNumber(n) : n;
  };
  Number.prototype = RealNumber.prototype;
  Object.defineProperty(RealNumber.prototype, "constructor", { value: Number, writable: true, configurable: true });
  statics.forEach(function (k) { Object.defineProperty(Number, k, Object.getOwnPropertyDescriptor(RealNumber, k)); });
  return Number;
})`;

/**
 * Deletes from the context's global object `g` everything Espruino lacks. Run after the firmware captured what
 * it needs. `evaluate` runs source text in the context.
 */
export function pruneBuiltins(g, evaluate) {
  for (const name of MISSING_GLOBALS) delete g[name];
  const number = evaluate(NUMBER_WITHOUT_STATICS)(g.Number, KEEP.Number.statics);
  Object.defineProperty(g, "Number", { value: number, writable: true, configurable: true, enumerable: false });
  prune(g.Number.prototype, KEEP.Number.proto);
  for (const [name, { statics, proto }] of Object.entries(KEEP)) {
    if (name === "Number") continue;
    const value = g[name];
    prune(value, statics);
    if (proto && typeof value === "function") prune(value.prototype, proto);
  }
  // the firmware's Promise subclasses V8's: prune the inherited statics and methods as well
  const basePromise = Object.getPrototypeOf(g.Promise);
  if (basePromise !== Object.getPrototypeOf(g.Function)) {
    prune(basePromise, KEEP.Promise.statics);
    prune(basePromise.prototype, KEEP.Promise.proto);
  }
  const typedArray = Object.getPrototypeOf(g.Uint8Array);
  prune(typedArray, []);
  prune(typedArray.prototype, TYPED_ARRAY_PROTO);
  for (const name of TYPED_ARRAYS) prune(g[name], ["BYTES_PER_ELEMENT"]);
  // Error subclasses keep their prototype chain (V8 throws them) but lose V8-only statics such as captureStackTrace.
  for (const name of ["TypeError", "ReferenceError", "SyntaxError"]) prune(g[name], []);
}
