// expect: no-restricted-globals "Map:"
// expect: no-restricted-globals "Set:"
// expect: no-restricted-globals "WeakMap:"
// expect: no-restricted-globals "Symbol:"
// expect: no-restricted-globals "Promise:"
// expect: no-restricted-globals "RegExp:"
// expect: no-restricted-globals "JSON:"
// expect: no-restricted-globals "Uint8Array:"
// expect: no-restricted-globals "ArrayBuffer:"
// expect: no-restricted-globals "DataView:"
// expect: no-restricted-globals "parseInt:"
// expect: no-restricted-globals "parseFloat:"
// expect: no-restricted-globals "Number():"
// expect: no-restricted-globals "isNaN:"
// expect: no-restricted-globals "Error:"
declare const text: string;
export const uses: unknown[] = [];
uses.push(Map);
uses.push(Set);
uses.push(WeakMap);
uses.push(Symbol);
uses.push(Promise);
uses.push(RegExp);
uses.push(JSON.parse(text));
uses.push(Uint8Array);
uses.push(ArrayBuffer);
uses.push(DataView);
uses.push(parseInt(text));
uses.push(parseFloat(text));
uses.push(Number(text));
uses.push(isNaN(3));
uses.push(Error);
