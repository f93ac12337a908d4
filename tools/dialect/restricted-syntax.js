// Selectors and reasons for `no-restricted-syntax` (dialect.md §4, §7). Rules that need more than
// a selector live in rules/ (floats, non-ASCII strings, holes, functions in loops, array methods).

const DIALECT = "dialect.md §4";

// Method names TSTL implements in lualib (dialect.md §2). Array-only names that strings also have
// free (indexOf, slice) need types: see rules/no-array-lualib-method.js.
const LUALIB_METHODS = {
  split: "StringSplit; scan with indexOf/substring",
  trim: "StringTrim; skip spaces with charCodeAt",
  trimStart: "StringTrimStart; skip spaces with charCodeAt",
  trimEnd: "StringTrimEnd; skip spaces with charCodeAt",
  startsWith: "StringStartsWith; compare with indexOf(prefix, pos) === pos",
  endsWith: "StringEndsWith; compare substring",
  includes: "StringIncludes/ArrayIncludes; use indexOf on strings, a loop on arrays",
  replace: "StringReplace; rebuild with substring",
  replaceAll: "StringReplaceAll; rebuild with substring",
  substr: "StringSubstr; use substring",
  padStart: "StringPadStart; use repeat and concatenation",
  padEnd: "StringPadEnd; use repeat and concatenation",
  toFixed: "NumberToFixed and floats are banned",
  forEach: "ArrayForEach plus a closure per call; use for…of",
  map: "ArrayMap plus a closure and a new table; use a loop",
  filter: "ArrayFilter plus a closure and a new table; use a loop",
  reduce: "ArrayReduce plus a closure; use a loop",
  reduceRight: "ArrayReduceRight plus a closure; use a loop",
  splice: "ArraySplice; rebuild the array or use pop/shift",
  unshift: "ArrayUnshift; push and reverse the reading order",
  concat: "ArrayConcat; push in a loop, or + for strings",
  sort: "ArraySort; keep data ordered on insert",
};

const lualibMethodEntries = Object.entries(LUALIB_METHODS).map(([name, hint]) => ({
  selector: `CallExpression > MemberExpression.callee[computed=false][property.name='${name}']`,
  message: `\`.${name}()\`: TSTL lualib ${hint.split(";")[0]} (code size, a call per use, often an allocation) (${DIALECT});${hint.slice(hint.indexOf(";") + 1)}`,
}));

const MATH_FLOOR_CALL = "CallExpression[callee.object.name='Math'][callee.property.name='floor']";

export const restrictedSyntax = [
  // Numbers
  { selector: "BinaryExpression[operator=/^([&|^]|<<|>>>?)$/]", message: `bitwise operator: TSTL rejects it for Lua 5.1 and 5.3 \`>>\` is logical (${DIALECT}); wrap it in a platform function` },
  { selector: "AssignmentExpression[operator=/^([&|^]|<<|>>>?)=$/]", message: `bitwise assignment: TSTL rejects it for Lua 5.1 and 5.3 \`>>\` is logical (${DIALECT}); wrap it in a platform function` },
  { selector: "UnaryExpression[operator='~']", message: `\`~\`: TSTL rejects bitwise operators for Lua 5.1 (${DIALECT}); wrap it in a platform function` },
  { selector: "BinaryExpression[operator='**'], AssignmentExpression[operator='**=']", message: `\`**\`: Espruino SyntaxError and Lua 5.3 prints the result as a float (${DIALECT}); multiply` },
  { selector: `BinaryExpression[operator='/']:not(${MATH_FLOOR_CALL} > BinaryExpression.arguments)`, message: `\`/\` outside \`Math.floor(a / b)\`: Lua 5.3 \`/\` yields floats printed as \`5.0\`, integer builds truncate (${DIALECT}); write Math.floor(a / b)` },
  { selector: "AssignmentExpression[operator='/=']", message: `\`/=\`: Lua 5.3 \`/\` yields floats printed as \`5.0\` (${DIALECT}); write x = Math.floor(x / n)` },
  { selector: "MemberExpression[object.name='Math'][property.name=/^(pow|imul|trunc)$/]", message: `Math.pow/imul/trunc: Espruino lacks imul/trunc and pow yields floats (\`1024.0\` on Lua 5.3) (${DIALECT}); multiply or use Math.floor` },

  // Values and operators with different semantics in Lua
  { selector: "Literal[raw='null']", message: `\`null\`: Lua has only nil, so null and undefined are the same value (${DIALECT}); use undefined` },
  { selector: "BinaryExpression[operator='in']", message: `\`in\`: key presence and order differ in Lua (${DIALECT}); compare the value with !== undefined` },
  { selector: "BinaryExpression[operator='instanceof']", message: `\`instanceof\`: TSTL InstanceOf lualib and Espruino error classes aren't instanceof Error (${DIALECT}); use a tag field` },
  { selector: "ForInStatement", message: `for…in: key order differs between JS and Lua (${DIALECT}); keep an array of keys` },
  { selector: "AssignmentExpression[operator=/^(\\?\\?|\\|\\||&&)=$/]", message: `logical assignment (??=, ||=, &&=): Espruino SyntaxError (${DIALECT}); write if (x === undefined) x = …` },

  // Syntax Espruino lacks or TSTL lowers to lualib/unpack
  { selector: "SpreadElement", message: `spread: Espruino SyntaxError; TSTL emits unpack, which crashes on Lua 5.3 (${DIALECT}); pass arguments explicitly` },
  { selector: "RestElement", message: `rest parameter/element: Espruino SyntaxError and a table allocated per call (${DIALECT}); pass an array` },
  { selector: "ObjectPattern", message: `object destructuring: Espruino SyntaxError (${DIALECT}); read the fields one by one` },
  { selector: "ArrayPattern", message: `array destructuring: Espruino SyntaxError; TSTL emits unpack, which crashes on Lua 5.3 (${DIALECT}); index the array` },
  { selector: "AssignmentPattern", message: `default parameter: Espruino SyntaxError (${DIALECT}, espruino.md §1); test === undefined in the body` },
  { selector: "ChainExpression", message: `optional chaining \`?.\`: Espruino SyntaxError (${DIALECT}); test !== undefined first` },
  { selector: "TaggedTemplateExpression", message: "tagged template: Espruino SyntaxError (espruino.md §1); call a function" },
  { selector: "Property[computed=true], MethodDefinition[computed=true], PropertyDefinition[computed=true]", message: "computed key: Espruino SyntaxError (espruino.md §1); assign obj[key] = value after creating the object" },
  { selector: "TryStatement, ThrowStatement", message: `try/catch/throw: two closures per run plus 4.7 KB Error lualib, Lua errors are strings (${DIALECT}); return a status code (adapters use pcall)` },
  { selector: ":function[async=true], AwaitExpression, ForOfStatement[await=true]", message: `async/await: 7.5 KB Promise lualib, missing on Espruino (${DIALECT}); use callbacks` },
  { selector: ":function[generator=true], YieldExpression", message: `generator: lualib and missing on Espruino (${DIALECT}); use an explicit state field` },

  // Classes
  { selector: ":matches(ClassDeclaration, ClassExpression)[superClass]", message: `class \`extends\`: ClassExtends lualib and Espruino doesn't inherit statics (${DIALECT}); use a flat class` },
  { selector: "Super", message: `\`super\`: needs \`extends\` (${DIALECT}); use a flat class` },
  { selector: ":matches(MethodDefinition, TSAbstractMethodDefinition, Property)[kind=/^[gs]et$/], AccessorProperty", message: `getter/setter: TSTL property descriptor lualib (${DIALECT}); use a method or a field` },
  { selector: "TSParameterProperty", message: "parameter property: classes stay flat (dialect.md §3); declare the field and assign it in the constructor" },
  { selector: "MemberExpression[object.type='MemberExpression'][object.property.name='prototype']", message: `\`X.prototype.m\` read: Espruino reads built-in prototype methods as undefined (${DIALECT}, espruino.md §1); call the method on a value` },
  { selector: "TSEnumDeclaration:not([const=true])", message: `plain enum: TSTL emits a reverse-map table (${DIALECT}); use const enum` },

  // Arrays
  { selector: "NewExpression[callee.name='Array'], CallExpression[callee.name='Array']", message: `\`new Array(n)\`: creates holes and Lua \`#\` stops at a hole (${DIALECT}); start with [] and push` },
  { selector: "CallExpression[callee.property.name='push'][arguments.length>1]", message: `push with several arguments: TSTL ArrayPush lualib (${DIALECT}); one push per element` },
  { selector: "AssignmentExpression > MemberExpression.left[property.name='length']", message: `assigning \`.length\`: TSTL ArraySetLength lualib and Espruino throws (${DIALECT}, espruino.md §1); pop elements` },
  { selector: "CallExpression[callee.property.name='toString'][arguments.length>0]", message: `\`toString(radix)\`: TSTL NumberToString lualib (${DIALECT}); convert digits by hand` },
  ...lualibMethodEntries,

  // Banned outright
  { selector: "Literal[regex]", message: `RegExp literal: TSTL compile error (${DIALECT}); scan with indexOf/charCodeAt` },
  { selector: "Identifier[name='arguments']:not(MemberExpression[computed=false] > Identifier.property, Property > Identifier.key)", message: `\`arguments\`: banned (${DIALECT}); declare the parameters` },
  { selector: "Identifier[name='eval']:not(MemberExpression[computed=false] > Identifier.property, Property > Identifier.key)", message: `\`eval\`: banned (${DIALECT})` },
];

// Adapter variant for firmware/nodemcu: `const [lo, hi] = node.uptime()` on a LuaMultiReturn
// compiles to `local lo, hi = …` with no unpack (dialect.md §9), so array patterns fed by a call are allowed there.
export const restrictedSyntaxNodeMcuAdapter = restrictedSyntax.map((entry) =>
  entry.selector === "ArrayPattern"
    ? { ...entry, selector: "ArrayPattern:not(VariableDeclarator[init.type='CallExpression'] > ArrayPattern.id)" }
    : entry);

// Adapter variant for firmware/espruino: Espruino has try/catch (espruino.md §1), and the adapter uses it
// to report a callback that raised and go on, as the NodeMCU adapter does with xpcall; throw stays banned.
export const restrictedSyntaxEspruinoAdapter = restrictedSyntax.map((entry) =>
  entry.selector === "TryStatement, ThrowStatement" ? { ...entry, selector: "ThrowStatement" } : entry);
