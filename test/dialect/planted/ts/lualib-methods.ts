// One call per lualib method name of no-restricted-syntax (dialect.md §2, §4).
// expect: no-restricted-syntax "`.split()`"
// expect: no-restricted-syntax "`.trim()`"
// expect: no-restricted-syntax "`.trimStart()`"
// expect: no-restricted-syntax "`.trimEnd()`"
// expect: no-restricted-syntax "`.startsWith()`"
// expect: no-restricted-syntax "`.endsWith()`"
// expect: no-restricted-syntax "`.includes()`"
// expect: no-restricted-syntax "`.replace()`"
// expect: no-restricted-syntax "`.replaceAll()`"
// expect: no-restricted-syntax "`.substr()`"
// expect: no-restricted-syntax "`.padStart()`"
// expect: no-restricted-syntax "`.padEnd()`"
// expect: no-restricted-syntax "`.toFixed()`"
// expect: no-restricted-syntax "`.forEach()`"
// expect: no-restricted-syntax "`.map()`"
// expect: no-restricted-syntax "`.filter()`"
// expect: no-restricted-syntax "`.reduce()`"
// expect: no-restricted-syntax "`.reduceRight()`"
// expect: no-restricted-syntax "`.splice()`"
// expect: no-restricted-syntax "`.unshift()`"
// expect: no-restricted-syntax "`.concat()`"
// expect: no-restricted-syntax "`.sort()`"
declare const s: string;
declare const xs: number[];
declare const n: number;
export const uses: unknown[] = [];
uses.push(s.split(","));
uses.push(s.trim());
uses.push(s.trimStart());
uses.push(s.trimEnd());
uses.push(s.startsWith("x"));
uses.push(s.endsWith("x"));
uses.push(s.includes("x"));
uses.push(s.replace("a", "b"));
uses.push(s.replaceAll("a", "b"));
uses.push(s.substr(1, 2));
uses.push(s.padStart(4, "0"));
uses.push(s.padEnd(4, " "));
uses.push(n.toFixed(2));
uses.push(xs.forEach((x) => x));
uses.push(xs.map((x) => x));
uses.push(xs.filter((x) => x > 0));
uses.push(xs.reduce((a, x) => a + x, 0));
uses.push(xs.reduceRight((a, x) => a + x, 0));
uses.push(xs.splice(0, 1));
uses.push(xs.unshift(1));
uses.push(xs.concat(xs));
uses.push(xs.sort());
