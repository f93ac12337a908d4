// Lua minifier for the TSTL bundle: drops comments and whitespace, renames locals to short names.
//
// luaparse (luaVersion 5.1) gives the syntax tree and the token stream. Every token is re-emitted as
// its exact source text (string literals keep their escapes and 8-bit bytes, numbers their digits:
// no float literal appears), except identifiers that name a local, a parameter or a loop variable,
// which get a short name. Globals, fields, method names and table keys are never touched, and no
// declaration is added or removed, so every function keeps its count of active locals
// (nodemcu.md §3: 50 on NodeMCU 5.1). Separators are kept only where two tokens would otherwise
// merge (`a b`, `1 ..x`, `- -x`, `[ [[s]]`); a needed separator is a newline once the line is long,
// so the output has lines of a few hundred bytes and never breaks before `(` (Lua 5.1's
// "ambiguous syntax" rule).
//
// Renaming: each local has a visibility region (from its declaring statement to the end of its
// block) and a list of references. Two locals may share a name unless one is referenced inside the
// region of the other declared later; a local may not take the name of a global referenced inside
// its region.
// Locals are named greedily, most referenced first, with the shortest name free of conflicts.
import luaparse from "luaparse";
import { nodesUnder, walkLua } from "./lua-walk.js";

const PARSE_OPTIONS = { luaVersion: "5.1", encodingMode: "pseudo-latin1", comments: false };

// Lua 5.1 keywords plus 5.2+'s `goto`; never generated as names.
const KEYWORDS = new Set([
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
  "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
]);
// Names with an implicit meaning, never generated: `self` (a method's parameter), `arg` (5.1's
// hidden table in vararg functions), `_ENV` (5.2+ environment). A local already called `_ENV`, or
// `arg` where a vararg function could rebind it, keeps its name; so does a method's implicit `self`.
const RESERVED = new Set(["self", "arg", "_ENV"]);

const FIRST_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
const NEXT_CHARS = FIRST_CHARS + "0123456789";

const LINE_BREAK_AFTER = 200;

/** The n-th candidate short name (0 → "a", 52 → "_", 53 → "aa", …); may be a keyword. */
function nthName(n) {
  if (n < FIRST_CHARS.length) return FIRST_CHARS[n];
  let rest = n - FIRST_CHARS.length;
  let suffixLength = 1;
  let block = FIRST_CHARS.length * NEXT_CHARS.length;
  while (rest >= block) {
    rest -= block;
    suffixLength++;
    block *= NEXT_CHARS.length;
  }
  let suffix = "";
  for (let i = 0; i < suffixLength; i++) {
    suffix = NEXT_CHARS[rest % NEXT_CHARS.length] + suffix;
    rest = Math.floor(rest / NEXT_CHARS.length);
  }
  return FIRST_CHARS[rest] + suffix;
}

/** Candidate names in order of length, keywords and reserved names skipped. */
function* candidateNames() {
  for (let n = 0; ; n++) {
    const name = nthName(n);
    if (!KEYWORDS.has(name) && !RESERVED.has(name)) yield name;
  }
}

/** A local's binding: its visibility region, the offsets naming it, and its references. */
function newVariable(name, regionStart, regionEnd) {
  return { name, regionStart, regionEnd, offsets: [], refs: [], fixed: name === "_ENV", newName: undefined };
}

/**
 * Walks the tree, binding every identifier in an expression position to a local or a global.
 * Returns the locals and, per global name, the offsets where it is referenced.
 */
function bindNames(chunk, sourceLength) {
  const variables = [];
  const globals = new Map();
  // Enclosing functions, innermost last: {vararg, scopeDepth} (for 5.1's implicit `arg`).
  const functions = [];

  walkLua(chunk, {
    declare(identifier, regionStart, regionEnd) {
      const v = newVariable(identifier.name, regionStart, regionEnd);
      v.offsets.push(identifier.range[0]);
      variables.push(v);
      return v;
    },
    declareSelf(fn, regionStart, regionEnd) {
      const v = newVariable("self", regionStart, regionEnd);
      v.fixed = true;
      variables.push(v);
      return v;
    },
    reference(identifier, v, parent, write, depth) {
      const offset = identifier.range[0];
      if (v !== null) {
        v.offsets.push(offset);
        v.refs.push(offset);
        // Under 5.1 a vararg function between this reference and the local's scope would bind `arg`
        // to its own hidden table: keep the name so 5.1 and 5.3 each resolve it as before.
        if (identifier.name === "arg" && functions.some((f) => f.vararg && f.scopeDepth >= depth)) v.fixed = true;
        return;
      }
      let offsets = globals.get(identifier.name);
      if (offsets === undefined) globals.set(identifier.name, (offsets = []));
      offsets.push(offset);
    },
    enterFunction(fn, scopeDepth) {
      functions.push({ vararg: fn.parameters.some((p) => p.type === "VarargLiteral"), scopeDepth });
    },
    leaveFunction() {
      functions.pop();
    },
  }, sourceLength, "minifyLua");
  return { variables, globals };
}

/** True when some offset in the ascending list lies in [start, end]. */
function anyWithin(sorted, start, end) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] <= end;
}

/**
 * Two locals can share a name unless one would capture a reference to the other: a reference to b
 * inside a's region where a is declared no earlier than b (the later declaration is the inner one).
 * Regions may start early (at the declaring statement), which only adds conflicts.
 */
function conflicts(a, b) {
  return (a.regionStart >= b.regionStart && anyWithin(b.refs, a.regionStart, a.regionEnd)) ||
    (b.regionStart >= a.regionStart && anyWithin(a.refs, b.regionStart, b.regionEnd));
}

/** Gives every local a newName: the shortest one that changes no binding. */
function assignNames(variables, globals) {
  const byName = new Map();
  for (const v of variables) {
    v.refs.sort((x, y) => x - y);
    if (v.fixed) {
      v.newName = v.name;
      if (!byName.has(v.name)) byName.set(v.name, []);
      byName.get(v.name).push(v);
    }
  }
  for (const offsets of globals.values()) offsets.sort((x, y) => x - y);

  const order = variables.filter((v) => !v.fixed).sort((x, y) => y.offsets.length - x.offsets.length || x.regionStart - y.regionStart);
  for (const v of order) {
    for (const name of candidateNames()) {
      const global = globals.get(name);
      if (global !== undefined && anyWithin(global, v.regionStart, v.regionEnd)) continue;
      const holders = byName.get(name);
      if (holders !== undefined && holders.some((w) => conflicts(v, w))) continue;
      v.newName = name;
      if (holders === undefined) byName.set(name, [v]);
      else holders.push(v);
      break;
    }
  }
}

/** The source's tokens, in order: {type, range}. */
function tokenize(source) {
  const lexer = luaparse.parse(source, { ...PARSE_OPTIONS, wait: true });
  const tokens = [];
  for (;;) {
    const token = lexer.lex();
    if (token.type === luaparse.tokenTypes.EOF) return tokens;
    tokens.push({ type: token.type, range: token.range });
  }
}

// Two symbol characters that would lex as one token (or a comment / long bracket) when adjacent,
// in Lua 5.1 or 5.3.
const MERGING_PAIRS = new Set(["--", "==", "~=", "<=", ">=", "..", "//", "::", "<<", ">>", "[[", "[="]);

function isNameChar(c) {
  return /[A-Za-z0-9_]/.test(c);
}

/** True when the texts a and b, written without a separator, would not lex as the same two tokens. */
function needsSeparator(a, aType, b) {
  const last = a[a.length - 1];
  const first = b[0];
  if (isNameChar(last) && isNameChar(first)) return true;
  if (aType === luaparse.tokenTypes.NumericLiteral) {
    if (first === "." || /[eEpP]$/.test(a) && (first === "+" || first === "-")) return true;
  }
  // `..` then `.5` would lex as `...`; a lone `.` then a digit as a numeral.
  if (last === "." && (first === "." || a === "." && /[0-9]/.test(first))) return true;
  return MERGING_PAIRS.has(last + first);
}

/**
 * Minifies Lua source. `source` and the result hold bytes as latin1 characters (one per byte).
 * @param {string} source
 * @returns {string}
 */
export function minifyLua(source) {
  // A first line starting with `#` (shebang) is skipped by Lua's file loader: keep it verbatim.
  let header = "";
  let body = source;
  if (source.startsWith("#")) {
    const eol = source.indexOf("\n");
    header = eol < 0 ? source : source.slice(0, eol + 1);
    body = " ".repeat(header.length) + source.slice(header.length);
  }
  const chunk = luaparse.parse(body, { ...PARSE_OPTIONS, ranges: true });
  const { variables, globals } = bindNames(chunk, body.length);
  assignNames(variables, globals);

  // Tokens left out, where that changes nothing: `= nil` of a local declaration (`local a = nil` is `local a`),
  // an empty `do end`.
  const skipped = [];
  for (const node of nodesUnder(chunk)) {
    if (node.type === "LocalStatement" && node.init.length > 0 && node.init.every((e) => e.type === "NilLiteral")) {
      skipped.push([node.variables[node.variables.length - 1].range[1], node.init[node.init.length - 1].range[1]]);
    } else if (node.type === "DoStatement" && node.body.length === 0) {
      skipped.push(node.range);
    }
  }
  const isSkipped = (offset) => skipped.some(([start, end]) => offset >= start && offset < end);

  const renames = new Map();
  for (const v of variables) for (const offset of v.offsets) renames.set(offset, v.newName);

  const out = [header];
  let lineLength = 0;
  let previous;
  let previousType;
  let renamed = 0;
  for (const token of tokenize(body)) {
    if (isSkipped(token.range[0])) continue;
    let text = body.slice(token.range[0], token.range[1]);
    if (token.type === luaparse.tokenTypes.Identifier && renames.has(token.range[0])) {
      text = renames.get(token.range[0]);
      renamed++;
    }
    if (previous !== undefined && needsSeparator(previous, previousType, text)) {
      const breakLine = lineLength >= LINE_BREAK_AFTER;
      out.push(breakLine ? "\n" : " ");
      lineLength = breakLine ? 0 : lineLength + 1;
    }
    out.push(text);
    const eol = text.lastIndexOf("\n");
    lineLength = eol < 0 ? lineLength + text.length : text.length - eol - 1;
    previous = text;
    previousType = token.type;
  }
  if (renamed !== renames.size) throw new Error("minifyLua: identifier offsets do not match the token stream");
  return out.join("");
}
