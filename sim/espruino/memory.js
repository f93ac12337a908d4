// The emulator's JsVar cost model. Genuine Espruino keeps every value in fixed-size JsVars; V8 does not,
// so usage here is an ESTIMATE built from the costs measured on the genuine interpreter (espruino.md §3, §5):
//
//   usage = baseline                         53 vars (14-byte layout) / 56 (12-byte layout)
//         + built-ins warmed up              require("net") +5 (the only first use the emulator sees)
//         + resident code                    what each loaded module and the app keep: moduleVars() below
//         + open sockets                     SOCKET_VARS each (connection object and its hidden fields)
//         + unsent socket data               string vars of what write() queued and the OS has not taken yet
//         + live data                        a walk of the values reachable from user globals and module exports
//
// Values only reachable through closures or top-level let/const are invisible to the walk.
//
// ---- What loading code costs (moduleVars) ----------------------------------------------------------------------
// Espruino executes source text. Loading a module runs its top level once, and what stays allocated is what the
// genuine parser builds (Espruino 2v29 src/jsparse.c, src/jsvar.c, src/jslex.c):
//
//  * every function created while the top level runs (declarations, expressions, arrows, class methods; not the
//    functions nested in their bodies, which are only text until called) is a function var with
//      - one name var per parameter ("\xFF" + name, jspeFunctionArguments),
//      - "\xFFcod" -> its body's text (jspeFunctionDefinitionInternal: from the first token after "{", or after a
//        leading `return`, to the last token), copied out of the source (jslNewStringFromLexer: a FLAT string,
//        one header var + one var per bytesPerUnit chars, when longer than a normal string's first two vars hold;
//        a normal string otherwise). Parsed from a Storage file, the text stays in flash: a native/flash string
//        costs one var whatever its length. That is the whole difference between 633 and 283 vars for MQTT.js,
//      - "\xFFsco" -> the scopes it closes over (jspeiGetScopesAsVar), but only when there is a scope besides the
//        root: a module's top level runs in a scope object (jspEvaluateModule), so each of its functions pays one
//        more var than the same code run inline at the root; a closure made inside a call pays for a copy of the
//        scope array when more than one scope is active,
//      - "\xFFnam" for a named function expression, "\xFFths" for an arrow whose text mentions `this`;
//  * `X.prototype` is created on first use: an object, its name and a "constructor" back link; a class always
//    has one, a class with `extends` also "__proto__" in it;
//  * every binding (top-level var/let/const/function/class, property of an object literal or assigned on an
//    object) is a name var (4 chars in the first var, then 10 or 8 per var) plus its value: ints within the
//    layout's reference range live inside the name, other numbers, booleans and null take one var, strings their
//    string vars, objects one var plus their properties, array elements an index name each;
//  * a call evaluated at load (an IIFE) keeps its execution scope only when it creates closures.
//
// The source text itself is freed after the load, so it only counts toward the PEAK: inline code is held while
// it runs (a script file or the REPL's input line, normal string vars); Modules.addCached("id", "<literal>"),
// what the espruino CLI sends, holds the statement's text AND the literal's value while the module evaluates
// (why MQTT.js runs out of memory on the ESP8266 layout that way); a Storage file is one flash string.
// Boot code (`.bootcde`, `.boot0`…, `load(file)`; method "boot") runs from a flash string at the root: bindings as
// inline, text and function bodies stay in flash (jspeFunctionDefinitionInternal makes a flash string of a body
// parsed from flash). In it, `Modules.addCached(id, function(){…})` (the CLI's MODULE_AS_FUNCTION upload) loads like
// a Storage module (jspEvaluateModule evaluates the function's flash code); a string literal is copied to RAM.
//
// The structure above is exact Espruino; what it leaves out (the Modules list, lexer leftovers, …) is folded
// into the one fitted constant below, MODULE_FRAME_VARS, calibrated on espruino.md §5 (MQTT.js, tinyMQTT.js,
// ws.js on both layouts and three load methods, and nats-mcu at 5861681; all within 1.1 %): see README.md for
// the table, and test/sim/espruino-memory-calibration.test.js. A function passed to a call at load (a timer,
// a listener) is counted as kept; a value a call returns as one var.
import { parse } from "acorn";

export const LOAD_FLOOR_VARS = 13; // peak free vars an IIFE needs (espruino.md §3)
export const SOCKET_VARS = 10; // assumption: Socket object, type, socket number, options, flags, listener names
export const WARM_UP_VARS = { net: 5 }; // espruino.md §3 "The first use of a built-in class"

/**
 * Per-layout constants (espruino.md §3 and src/jsutils.h): chars in the first / each further string var, chars a
 * name var holds inline (JSVAR_DATA_STRING_NAME_LEN), baseline usage of a tiny script, largest int a name holds
 * inside itself (JSVARREF_MAX), and the length above which copied text becomes a flat string
 * (JSV_FLAT_STRING_BREAK_EVEN = first + next).
 */
export const LAYOUTS = {
  14: { bytesPerUnit: 14, first: 9, next: 10, nameInline: 4, baseline: 53, inlineInt: 8191, flatAbove: 19 },
  12: { bytesPerUnit: 12, first: 8, next: 8, nameInline: 4, baseline: 56, inlineInt: 1023, flatAbove: 16 },
};

export function layoutFor(bytesPerUnit) {
  if (typeof bytesPerUnit === "object" && bytesPerUnit !== null) return bytesPerUnit;
  const known = LAYOUTS[bytesPerUnit];
  if (known) return known;
  const first = bytesPerUnit - 5;
  const next = bytesPerUnit - 4;
  return { bytesPerUnit, first, next, nameInline: 4, baseline: 55, inlineInt: 1023, flatAbove: first + next };
}

// ---- fitted constant -----------------------------------------------------------------------------------------
/**
 * The one fitted constant: vars a module evaluated by jspEvaluateModule keeps besides its bindings and functions.
 * Known parts: the scope object, its "exports" and "module" names and the exports object (6), the Modules list
 * ("modules" in the hidden root and its object, 3, allocated by the first module); the rest (3) is what the
 * interpreter keeps from a module load that the walk does not see. Its cache entry's name is counted apart.
 * Fitted to the cached and Storage anchors (MQTT.js, tinyMQTT.js, ws.js, nats-mcu at 5861681; espruino.md §5):
 * residuals -3…+4 vars. The inline anchors needed no constant at all (residual 0…+2 vars with the inline
 * harness's `var exports={}` counted as code), nor did any per-function term.
 */
export const MODULE_FRAME_VARS = 12;

const BUILTIN_OBJECTS = new Set(["String", "Math", "JSON", "Object", "Array", "Number", "E", "Date", "console", "process", "Promise",
  "Uint8Array", "ArrayBuffer", "DataView", "Boolean", "Function", "Error", "RegExp"]);

/** String vars for a normal (non-flat) string of `length` chars. */
function normalStringVars(layout, length) {
  return length <= layout.first ? 1 : 1 + Math.ceil((length - layout.first) / layout.next);
}
/** Name vars for a property or variable name. */
function nameVarsOf(layout, name) {
  const length = String(name).length;
  return length <= layout.nameInline ? 1 : 1 + Math.ceil((length - layout.nameInline) / layout.next);
}

/**
 * JsVars a module or app costs once loaded (`resident`) and at the peak of loading it (`peak`, the resident
 * part plus the source text held while it is evaluated plus the 13-var floor), per the model at the top of this
 * file.
 * @param {string} source the code as it is sent to the board (minified)
 * @param {object} [options]
 * @param {"inline" | "cached" | "storage" | "boot"} [options.method] inline: run at the top level (a script file,
 *   the REPL, an app); cached: `Modules.addCached(id, "<string literal>")`, what the espruino CLI uploads; storage:
 *   evaluated as a module from a Storage file (require() of a Storage file, or addCached of Storage.read, or
 *   addCached of a function whose text is in flash); boot: run at the top level from a Storage file (`.bootcde`,
 *   `.boot0`, `load(file)`): bindings as inline, text and function bodies stay in flash as for storage
 * @param {number | object} [options.layout] bytes per JsVar (14: ESP32, 12: ESP8266) or a layout object
 * @param {string} [options.id] module id (its cache entry's name)
 * @param {boolean} [options.statementInFlash] cached only: the addCached statement itself is read from flash (boot
 *   code), so only the literal's value is copied into RAM while the module loads
 * @returns {{ resident: number, peak: number, text: number, functions: number, codeVars: number }}
 *   text: vars the source text takes while it is evaluated; functions: functions created at load;
 *   codeVars: vars of their body text
 */
export function moduleVars(source, { method = "cached", layout: layoutOption = 14, id = "module", statementInFlash = false } = {}) {
  if (!["inline", "cached", "storage", "boot"].includes(method)) throw new Error(`moduleVars: unknown method ${method}`);
  const layout = layoutFor(layoutOption);
  const counted = countedLoad(source, layout, method);
  const asModule = method !== "inline" && method !== "boot";
  const resident = counted.vars + (asModule ? MODULE_FRAME_VARS + nameVarsOf(layout, id) : 0);
  let text;
  if (method === "inline") {
    text = normalStringVars(layout, source.length);
  } else if (method === "cached") {
    const statement = `Modules.addCached(${JSON.stringify(id)},${JSON.stringify(source)});`;
    text = (statementInFlash ? 0 : normalStringVars(layout, statement.length)) + normalStringVars(layout, source.length);
  } else {
    text = 1; // the Storage file as a flash string
  }
  return { resident, peak: resident + text + LOAD_FLOOR_VARS, text, functions: counted.functions, codeVars: counted.codeVars };
}

// A fleet loads the same library into every board: the walk (a parse and a pass over it) runs once per source.
const loads = new Map();
function countedLoad(source, layout, method) {
  const key = `${method}\0${JSON.stringify(layout)}\0${source}`;
  let counted = loads.get(key);
  if (counted === undefined) {
    if (loads.size >= 64) loads.clear();
    counted = countLoad(source, layout, method);
    loads.set(key, counted);
  }
  return counted;
}

// ---- the load-time walk ------------------------------------------------------------------------------------------
function parseProgram(source) {
  try {
    return parse(source, { ecmaVersion: "latest", sourceType: "script", allowHashBang: true, allowReturnOutsideFunction: true });
  } catch {
    return undefined;
  }
}

const PROTOTYPE_NAME = "prototype";
const CONSTRUCTOR_NAME = "constructor";
const INHERITS_NAME = "__proto__";

function countLoad(source, layout, method) {
  const program = parseProgram(source);
  const stats = { functions: 0, codeVars: 0 };
  const nameVars = (name) => nameVarsOf(layout, name);
  const stringVars = (length) => normalStringVars(layout, length);
  const prototypeVars = 1 + nameVars(PROTOTYPE_NAME) + nameVars(CONSTRUCTOR_NAME);

  if (program === undefined) {
    // not parseable as a script (the static check reports it): assume it is kept as text
    return { vars: stringVars(source.length), ...stats };
  }

  /** Vars of a function body's text as kept in "\xFFcod". */
  function codeTextVars(length) {
    if (length <= 0) return 0;
    if (method === "storage" || method === "boot") return 1; // native / flash string pointing into Storage
    if (length > layout.flatAbove) return 1 + Math.ceil(length / layout.bytesPerUnit);
    return stringVars(length);
  }

  /** Vars of "\xFFsco" in a function created with `depth` scopes active. */
  function scopeLinkVars(depth) {
    if (depth <= 0) return 0;
    if (depth === 1) return 1; // the name, referencing the one scope object
    return 1 + 1 + depth; // the name, a copied array, an index name per scope
  }

  function mentionsThis(node) {
    let found = false;
    const visit = (n) => {
      if (found || n === null || typeof n !== "object") return;
      if (Array.isArray(n)) {
        n.forEach(visit);
        return;
      }
      if (n.type === "ThisExpression") {
        found = true;
        return;
      }
      for (const key of Object.keys(n)) {
        if (key !== "type" && key !== "start" && key !== "end") visit(n[key]);
      }
    };
    visit(node);
    return found;
  }

  /** Length of the text Espruino keeps for a function's body. */
  function bodyTextLength(fn) {
    const body = fn.body;
    if (body.type !== "BlockStatement") {
      const arrow = source.lastIndexOf("=>", body.start);
      return source.slice(arrow + 2, fn.end).trim().length;
    }
    if (body.body.length === 0) return 0; // `{}`: no code var at all
    let start = body.body[0].start;
    const first = body.body[0];
    if (first.type === "ReturnStatement" && first.argument) start = first.argument.start; // "return" is not stored
    return source.slice(start, body.end - 1).trimEnd().length;
  }

  function functionVars(fn, ctx, { named = false, replaceInto = false } = {}) {
    stats.functions++;
    ctx.closures++;
    let vars = replaceInto ? 0 : 1; // the function var (a constructor's children move into the class function)
    for (const param of fn.params) {
      const name = param.type === "Identifier" ? param.name : param.type === "AssignmentPattern" && param.left.type === "Identifier" ? param.left.name : "p";
      vars += nameVars(`\xFF${name}`);
    }
    const length = bodyTextLength(fn);
    if (length > 0) {
      const code = codeTextVars(length);
      stats.codeVars += code;
      vars += 1 + code; // "\xFFcod" and the text
      if (!replaceInto) vars += scopeLinkVars(ctx.depth);
    }
    if (named && fn.id) vars += 1 + stringVars(fn.id.name.length); // "\xFFnam"
    if (fn.type === "ArrowFunctionExpression" && mentionsThis(fn.body)) vars += 1; // "\xFFths"
    return vars;
  }

  function keyName(key, computed) {
    if (computed) return "computed";
    if (key.type === "Identifier") return key.name;
    if (key.type === "Literal") return String(key.value);
    if (key.type === "PrivateIdentifier") return `#${key.name}`;
    return "key";
  }

  function classVars(cls, ctx, named) {
    stats.functions++;
    ctx.closures++;
    let vars = 1 + scopeLinkVars(ctx.depth) + prototypeVars;
    if (named && cls.id) vars += 1 + stringVars(cls.id.name.length);
    const members = cls.body.body;
    const hasConstructor = members.some((m) => m.type === "MethodDefinition" && m.kind === "constructor");
    if (cls.superClass) {
      vars += nameVars(INHERITS_NAME);
      if (!hasConstructor && cls.superClass.type === "Identifier") {
        vars += 1 + stringVars(`${cls.superClass.name}.apply(this,arguments)`.length);
      }
    }
    for (const member of members) {
      if (member.type === "MethodDefinition") {
        if (member.kind === "constructor") {
          vars += functionVars(member.value, ctx, { replaceInto: true });
          stats.functions--; // the constructor is the class function itself
          continue;
        }
        const name = nameVars(keyName(member.key, member.computed));
        if (member.kind === "get" || member.kind === "set") vars += name + 2 + functionVars(member.value, ctx); // getter/setter pair var and its "get"/"set"
        else vars += name + functionVars(member.value, ctx);
      } else if (member.type === "PropertyDefinition") {
        vars += nameVars(keyName(member.key, member.computed)) + (member.value ? value(member.value, ctx) : 0);
      } else if (member.type === "StaticBlock") {
        for (const statement of member.body) exec(statement, ctx);
      }
    }
    return vars;
  }

  /** A primitive the expression folds to, or undefined when it is not a literal-only expression. */
  function fold(node) {
    switch (node.type) {
      case "Literal":
        return node.regex ? undefined : { v: node.value };
      case "TemplateLiteral":
        return node.expressions.length === 0 ? { v: node.quasis.map((q) => q.value.cooked ?? "").join("") } : undefined;
      case "UnaryExpression": {
        if (node.operator === "void") return { v: undefined };
        const inner = fold(node.argument);
        if (!inner) return undefined;
        if (node.operator === "!") return { v: !inner.v };
        if (node.operator === "-") return { v: -inner.v };
        if (node.operator === "+") return { v: +inner.v };
        if (node.operator === "~") return { v: ~inner.v };
        return undefined;
      }
      case "BinaryExpression": {
        const left = fold(node.left);
        const right = left && fold(node.right);
        if (!right) return undefined;
        const ops = {
          "+": (a, b) => a + b, "-": (a, b) => a - b, "*": (a, b) => a * b, "/": (a, b) => a / b, "%": (a, b) => a % b,
          "<<": (a, b) => a << b, ">>": (a, b) => a >> b, ">>>": (a, b) => a >>> b, "|": (a, b) => a | b, "&": (a, b) => a & b, "^": (a, b) => a ^ b,
        };
        return ops[node.operator] ? { v: ops[node.operator](left.v, right.v) } : undefined;
      }
      default:
        return undefined;
    }
  }

  /** Vars a primitive takes when stored under a name (ints in reference range live in the name). */
  function primitiveVars(v, inIndexName = false) {
    switch (typeof v) {
      case "undefined": return 0;
      case "number": return Number.isInteger(v) && Math.abs(v) <= layout.inlineInt ? 0 : 1;
      case "boolean": return inIndexName ? 0 : 1;
      case "string": return stringVars(v.length);
      default: return 1; // null
    }
  }

  function isModulesCall(callee, name) {
    return callee.type === "MemberExpression" && !callee.computed && callee.object.type === "Identifier"
      && callee.object.name === "Modules" && callee.property.name === name;
  }

  function isFunctionNode(node) {
    return node && (node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression");
  }

  /** The function an IIFE calls, or undefined. */
  function iifeCallee(call) {
    let callee = call.callee;
    if (callee.type === "MemberExpression" && !callee.computed && ["call", "apply"].includes(callee.property.name)) callee = callee.object;
    return isFunctionNode(callee) ? callee : undefined;
  }

  function runIife(fn, call, ctx) {
    const inner = { depth: ctx.depth + 1, closures: 0, local: 0, outer: 0, bindings: new Map(), parent: ctx, returned: 0 };
    for (const [i, param] of fn.params.entries()) {
      if (param.type !== "Identifier") continue;
      const arg = call.arguments[i];
      inner.local += nameVars(param.name) + (arg ? value(arg, ctx) : 0);
      inner.bindings.set(param.name, { kind: "other" });
    }
    if (fn.body.type === "BlockStatement") {
      for (const statement of fn.body.body) exec(statement, inner);
    } else {
      inner.returned = value(fn.body, inner);
    }
    ctx.outer += inner.outer;
    if (inner.closures > 0) ctx.outer += 1 + inner.local; // its execution scope stays, held by the closures
    ctx.closures += inner.closures;
    return inner.returned;
  }

  function lookup(ctx, name) {
    for (let c = ctx; c; c = c.parent) {
      if (c.bindings.has(name)) return c.bindings.get(name);
    }
    return undefined;
  }

  /** Member assignment target: the object's binding when it is `X.prototype` of a known function. */
  function touchPrototype(object, ctx) {
    if (object.type === "MemberExpression" && !object.computed && object.property.name === PROTOTYPE_NAME && object.object.type === "Identifier") {
      const binding = lookup(ctx, object.object.name);
      if (binding && (binding.kind === "function") && !binding.prototype) {
        binding.prototype = true;
        return prototypeVars;
      }
    }
    return 0;
  }

  /** Vars the value of `node` keeps when stored; runs its side effects (assignments, IIFEs) into ctx. */
  function value(node, ctx) {
    if (!node) return 0;
    const folded = fold(node);
    if (folded) return primitiveVars(folded.v);
    switch (node.type) {
      case "FunctionExpression":
        return functionVars(node, ctx, { named: true });
      case "ArrowFunctionExpression":
        return functionVars(node, ctx);
      case "ClassExpression":
        return classVars(node, ctx, true);
      case "ObjectExpression": {
        let vars = 1;
        for (const prop of node.properties) {
          if (prop.type !== "Property") continue; // spread is not Espruino
          const name = nameVars(keyName(prop.key, prop.computed));
          if (prop.kind === "get" || prop.kind === "set") vars += name + 2 + functionVars(prop.value, ctx);
          else vars += name + (prop.method ? functionVars(prop.value, ctx) : value(prop.value, ctx));
        }
        return vars;
      }
      case "ArrayExpression": {
        let vars = 1;
        for (const element of node.elements) {
          if (!element) continue;
          const f = fold(element);
          vars += 1 + (f ? primitiveVars(f.v, true) : value(element, ctx));
        }
        return vars;
      }
      case "TemplateLiteral":
        for (const e of node.expressions) value(e, ctx);
        return stringVars(node.quasis.reduce((n, q) => n + (q.value.cooked ?? "").length, 0) + 4 * node.expressions.length);
      case "Literal":
        return node.regex ? 5 : primitiveVars(node.value); // RegExp: object, source, flags, lastIndex
      case "Identifier":
      case "ThisExpression":
      case "Super":
        return 0; // a reference to something already counted
      case "MemberExpression":
        // built-in functions and constants read off a built-in object become vars of their own (native function vars)
        return node.object.type === "Identifier" && BUILTIN_OBJECTS.has(node.object.name) && !lookup(ctx, node.object.name) ? 1 : 0;
      case "AssignmentExpression":
        assign(node, ctx);
        return 0;
      case "SequenceExpression": {
        let last = 0;
        for (const e of node.expressions) last = value(e, ctx);
        return last;
      }
      case "LogicalExpression":
        return Math.max(value(node.left, ctx), value(node.right, ctx));
      case "ConditionalExpression":
        value(node.test, ctx);
        return Math.max(value(node.consequent, ctx), value(node.alternate, ctx));
      case "UnaryExpression":
        value(node.argument, ctx);
        return node.operator === "void" || node.operator === "delete" ? 0 : 1;
      case "CallExpression": {
        const fn = iifeCallee(node);
        if (fn) return runIife(fn, node, ctx);
        if (node.callee.type === "Identifier" && node.callee.name === "require") return 0; // the module's exports
        // the module is counted by its own load; the source argument is a temporary
        if (isModulesCall(node.callee, "addCached")) return 0;
        value(node.callee, ctx);
        callArguments(node, ctx);
        return 1; // a result of unknown size: one var
      }
      case "NewExpression":
        callArguments(node, ctx);
        return 1 + nameVars(INHERITS_NAME); // the object and its __proto__ link
      case "ParenthesizedExpression":
        return value(node.expression, ctx);
      default:
        return 1;
    }
  }

  /** A call's arguments: functions passed (timers, listeners) are kept by the callee; the rest only run. */
  function callArguments(call, ctx) {
    for (const arg of call.arguments) {
      const vars = value(arg, ctx);
      if (isFunctionNode(arg) || arg.type === "ClassExpression") {
        if (ctx.parent) ctx.local += vars;
        else ctx.outer += vars;
      }
    }
  }

  function declare(ctx, name, kind, vars) {
    if (!ctx.bindings.has(name)) {
      ctx.bindings.set(name, { kind });
      vars += nameVars(name);
    } else {
      ctx.bindings.get(name).kind = kind;
    }
    if (ctx.parent) ctx.local += vars; // a local of a call at load
    else ctx.outer += vars;
  }

  function assign(node, ctx) {
    const left = node.left;
    if (node.operator !== "=") {
      value(node.right, ctx);
      return;
    }
    if (left.type === "Identifier") {
      const binding = lookup(ctx, left.name);
      const kind = isFunctionNode(node.right) ? "function" : node.right.type === "ClassExpression" ? "class" : "other";
      const vars = value(node.right, ctx);
      if (binding) {
        binding.kind = kind;
        // replaces the old value (counted when it was set)
        if (ctx.parent && ctx.bindings.get(left.name) === binding) ctx.local += vars;
        else ctx.outer += vars;
      } else {
        // an undeclared name becomes a global of the root
        let root = ctx;
        while (root.parent) root = root.parent;
        root.bindings.set(left.name, { kind });
        ctx.outer += nameVars(left.name) + vars;
      }
    } else if (left.type === "MemberExpression") {
      const proto = touchPrototype(left.object, ctx);
      value(left.object, ctx);
      ctx.outer += proto + nameVars(keyName(left.property, left.computed)) + value(node.right, ctx);
    } else {
      value(node.right, ctx);
    }
  }

  function exec(statement, ctx) {
    switch (statement.type) {
      case "VariableDeclaration":
        for (const decl of statement.declarations) {
          if (decl.id.type !== "Identifier") continue;
          const kind = isFunctionNode(decl.init) ? "function" : decl.init?.type === "ClassExpression" ? "class" : "other";
          declare(ctx, decl.id.name, kind, decl.init ? value(decl.init, ctx) : 0);
        }
        break;
      case "FunctionDeclaration":
        declare(ctx, statement.id.name, "function", functionVars(statement, ctx));
        break;
      case "ClassDeclaration":
        declare(ctx, statement.id.name, "class", classVars(statement, ctx, false));
        break;
      case "ExpressionStatement":
        value(statement.expression, ctx);
        break;
      case "ReturnStatement":
        ctx.returned = value(statement.argument, ctx);
        break;
      case "BlockStatement":
        for (const s of statement.body) exec(s, ctx);
        break;
      case "IfStatement":
        value(statement.test, ctx);
        exec(statement.consequent, ctx);
        break;
      case "TryStatement":
        exec(statement.block, ctx);
        break;
      default:
        break; // loops, switch…: not modelled at load (rare at a module's top level)
    }
  }

  const top = { depth: method === "inline" || method === "boot" ? 0 : 1, closures: 0, local: 0, outer: 0, bindings: new Map(), parent: undefined, returned: 0 };
  for (const statement of program.body) exec(statement, top);
  return { vars: top.outer + top.local, ...stats };
}

export function createMemoryModel(board) {
  const { budget, bytesPerUnit } = board.memory;
  const layout = layoutFor(bytesPerUnit);

  const stringVars = (length) => normalStringVars(layout, length);
  // ArrayBuffer contents are flat strings: one header var plus bytesPerUnit bytes per var (Uint8Array(64) = 8 / 9 vars)
  const flatVars = (bytes) => 1 + Math.ceil(bytes / bytesPerUnit);
  const nameVars = (name) => nameVarsOf(layout, name);
  const inlineInt = (v) => typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= layout.inlineInt;

  /**
   * Vars retained by `value` (E.getSizeOf-like); objects already in `seen` cost nothing again. With `loaded`,
   * `value` is a module's exports as loading left it, which moduleVars already counted: the object, the names
   * on it and the functions it holds cost nothing here; the data it holds is walked.
   */
  function valueVars(value, seen = new Set(), { loaded = false } = {}) {
    switch (typeof value) {
      case "undefined": return 0;
      case "boolean": case "number": case "bigint": case "symbol": return 1;
      case "string": return stringVars(value.length);
      case "function": {
        if (seen.has(value)) return 0;
        seen.add(value);
        return loaded ? 0 : 3; // closure (espruino.md §3 table)
      }
      default: break;
    }
    if (value === null) return 1;
    if (seen.has(value) || seen.size > 200_000) return 0;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      const buffer = value.buffer;
      if (seen.has(buffer)) return 1;
      seen.add(buffer);
      return 2 + flatVars(buffer.byteLength);
    }
    if (value instanceof ArrayBuffer || Object.prototype.toString.call(value) === "[object ArrayBuffer]") return 1 + flatVars(value.byteLength);
    let vars = loaded ? 0 : 1;
    const proto = Object.getPrototypeOf(value);
    if (!loaded && proto !== null && Object.getPrototypeOf(proto) !== null && !Array.isArray(value)) vars += 1; // __proto__ link of a class instance
    for (const key of Object.keys(value)) {
      let child;
      try {
        child = value[key];
      } catch {
        continue;
      }
      if (!loaded) vars += Array.isArray(value) ? 1 : nameVars(key);
      if (loaded && typeof child === "function") seen.add(child);
      else if (!inlineInt(child)) vars += valueVars(child, seen);
    }
    return vars;
  }

  return {
    budget,
    bytesPerUnit,
    baseline: layout.baseline,
    stringVars,
    valueVars,
    /**
     * Vars a loaded module or app keeps, and the peak while it is loaded (moduleVars above).
     * @param {string} source
     * @param {{ method?: "inline" | "cached" | "storage" | "boot", id?: string, statementInFlash?: boolean }} [options]
     */
    moduleVars: (source, options = {}) => moduleVars(source, { ...options, layout }),
    /** Former API: a module loaded like Modules.addCached of a string. */
    codeVars(source) {
      const { resident, peak } = moduleVars(source, { method: "cached", layout });
      return { resident, peak };
    },
  };
}
