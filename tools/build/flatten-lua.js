// Flattens a TypeScriptToLua bundle (luaBundle) into plain sequential Lua: no require shim, no
// module tables where they can go.
//
// TSTL emits a module loader (`____modules = {["src.x"] = function(...) … end, …}`, a caching
// `require`) and, per module, a table `____exports` whose fields other modules read through
// `local m = require("src.x")` then `m.f(...)`. Here each module reached from the entry becomes a
// `do … end` block in the order the loader would have run them (dependencies first, as first
// required), and each field of a module's exports table becomes a local variable:
//  - a field other modules read: a local of the main chunk, declared just before the module's block;
//  - a field only its own module reads: a local of the module's block;
//  - a field nobody reads: its definition is dropped (when that has no side effect).
// `m.f` becomes that local; `m:f(a)` becomes `f(nil, a)` (the table was only ever passed as an
// unused self; a module whose functions read `self` keeps its table). `local f = m.f` aliases of a
// field assigned once, before, at a module's top level, are replaced by the field's local.
//
// A module keeps a table (a main-chunk local, assigned at the end of its block) when its table is
// used any other way: indexed by value, passed, iterated (`export *`), written from outside. The
// entry module keeps its table: it is the chunk's return value (the library's API).
// Lua limits: the main chunk may hold at most 50 active locals on NodeMCU 5.1 and a function at most
// 60 upvalues; the caller's `fits` check decides. While it fails: a module's block where the locals
// overflow becomes a function of its own, and the fields that gain least from a local (used by
// fewest functions) become fields of one table shared by all modules, with short keys. Chunk-level
// locals are scoped to `do` blocks ending after their last reader. Standard library functions read
// in several functions (`string.byte`, `type`) are read once into locals, under the same limits.
//
// A local that only ever holds a non-negative numeral is replaced by the numeral.
//
// Anything outside the shapes above (a require inside a function, a computed require, a cycle, a
// module not shaped `local ____exports = {}` … `return ____exports`) leaves the bundle as it is.
import luaparse from "luaparse";
import { nodesUnder, walkLua } from "./lua-walk.js";

const PARSE_OPTIONS = { luaVersion: "5.1", encodingMode: "pseudo-latin1", comments: false, ranges: true };
const EXPORTS = "____exports";
/** TSTL's own runtime library module: kept as a table so the lualib checks still see its fields. */
const LUALIB = "lualib_bundle";
/** Standard library tables whose functions may be read once into locals. */
/** A module's block is wrapped in a function when the main chunk's locals are at least this many over in it. */
const WRAP_OVER = 4;
/** Lua 5.1's upvalues per function (LUAI_MAXUPVALUES; NodeMCU's too). */
const MAX_UPVALUES = 60;
/** Fields given their local back, one by one, once the result fits. */
const PROMOTE_TRIES = 40;
const STD_TABLES = new Set(["string", "math", "table"]);
/** Base library functions read once into locals where the bundle reads them often. */
const STD_FUNCTIONS = new Set(["type", "tostring", "tonumber", "error", "pairs", "ipairs", "select", "next", "pcall", "xpcall", "setmetatable", "rawget", "rawset"]);

/**
 * Binds every identifier to its declaration: sets `decl` (or null for a global), `parent` on
 * expression nodes and `fn` (the innermost enclosing function node) on identifiers.
 * Returns the declarations: {name, id, refs (reading identifiers), writes (assigned identifiers), fn}.
 */
function bind(chunk, atStatement) {
  const decls = [];
  const fns = [chunk];
  walkLua(chunk, {
    declare(id) {
      const d = { name: id.name, id, refs: [], writes: [], fn: fns[fns.length - 1] };
      id.decl = d;
      id.fn = d.fn;
      decls.push(d);
      return d;
    },
    reference(id, d, parent, write) {
      id.parent = parent;
      id.fn = fns[fns.length - 1];
      id.decl = d;
      if (d !== null) (write ? d.writes : d.refs).push(id);
    },
    node(node, parent) {
      node.parent = parent;
    },
    statement: atStatement,
    localFunction(fn, d) {
      d.fnNode = fn;
    },
    enterFunction(fn) {
      fns.push(fn);
    },
    leaveFunction() {
      fns.pop();
    },
  }, Infinity, "flattenLua");
  return decls;
}

/** The string argument of a `require("name")` call through the shim's require; undefined otherwise. */
function requiredName(node, requireDecl) {
  if (node.type !== "CallExpression" && node.type !== "StringCallExpression") return undefined;
  if (node.base.type !== "Identifier" || node.base.decl !== requireDecl) return undefined;
  const arg = node.type === "CallExpression" ? node.arguments[0] : node.argument;
  return arg !== undefined && arg.type === "StringLiteral" ? { name: arg.value } : { name: undefined };
}

/** The top-level statements of a module function: its body, and the bodies of `do` blocks in it. */
function topStatements(body, out = []) {
  for (const s of body) {
    out.push(s);
    if (s.type === "DoStatement") topStatements(s.body, out);
  }
  return out;
}

/** True for expressions that cannot have side effects (dropping them changes nothing). */
function isPure(e) {
  switch (e.type) {
    case "Identifier":
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
    case "NilLiteral":
    case "FunctionDeclaration":
      return true;
    case "MemberExpression":
      // a read of a field of a local table (module tables are plain tables: no metatables)
      return e.base.type === "Identifier" && e.base.decl !== null;
    case "TableConstructorExpression":
      return e.fields.every((f) => (f.type !== "TableKey" || isPure(f.key)) && isPure(f.value));
    default:
      return false;
  }
}

/** Recognizes TSTL's bundle: the shim's require, the module functions by name, the entry's name. */
function recognize(chunk) {
  const body = chunk.body;
  if (body.length < 7) return undefined;
  const requireFn = body[3];
  const table = body[4];
  const entry = body[body.length - 2];
  const ret = body[body.length - 1];
  if (
    requireFn.type !== "FunctionDeclaration" || !requireFn.isLocal || requireFn.identifier.name !== "require" ||
    table.type !== "AssignmentStatement" || table.variables[0].name !== "____modules" ||
    table.init[0].type !== "TableConstructorExpression" ||
    entry.type !== "LocalStatement" || entry.variables[0].name !== "____entry" ||
    ret.type !== "ReturnStatement" || ret.arguments.length !== 1 || ret.arguments[0].name !== "____entry"
  ) {
    return undefined;
  }
  const modules = new Map();
  for (const f of table.init[0].fields) {
    if (f.type !== "TableKey" || f.key.type !== "StringLiteral" || f.value.type !== "FunctionDeclaration") return undefined;
    modules.set(f.key.value, { name: f.key.value, fn: f.value });
  }
  const call = entry.init[0];
  const entryName = call?.type === "CallExpression" && call.arguments[0]?.type === "StringLiteral" ? call.arguments[0].value : undefined;
  if (!modules.has(entryName)) return undefined;
  return { requireFn, modules, entryName, preamble: body.slice(0, 3), entryCall: call };
}

/** Applies edits ({start, end, text}, non-overlapping) to source[from, to). */
function applyEdits(source, from, to, edits) {
  // outer edits first: an edit inside a removed or replaced range is dropped with it
  const inside = edits.filter((e) => e.start >= from && e.end <= to).sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "";
  let at = from;
  for (const e of inside) {
    if (e.start < at || (e.start === at && e.end === at && at > from && inside.some((o) => o !== e && o.start < at && o.end === at && o.text === ""))) {
      if (e.end <= at) continue;
      throw new Error(`flattenLua: overlapping edits at ${e.start}`);
    }
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + source.slice(at, to);
}

const KEYWORDS = new Set([
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
  "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
]);
const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";

/** The n-th short field name: a … _, then two letters (no keyword among them). */
const SHORT_NAMES = [...LETTERS];
for (const a of LETTERS) for (const b of LETTERS) if (!KEYWORDS.has(a + b)) SHORT_NAMES.push(a + b);
function shortName(n) {
  if (n >= SHORT_NAMES.length) throw new Error("flattenLua: too many fields");
  return SHORT_NAMES[n];
}

function sanitize(name) {
  return name.replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * Analyses the bundle once: modules in load order, their exports and every use of their tables.
 * Returns undefined when the bundle is not in a shape handled here.
 */
function analyse(source) {
  const chunk = luaparse.parse(source, PARSE_OPTIONS);
  const bundle = recognize(chunk);
  if (bundle === undefined) return undefined;
  bind(chunk);
  const requireDecl = bundle.requireFn.identifier.decl;
  const { modules } = bundle;

  // Every require call: bundled targets must be required at a module's top level, by literal name.
  for (const m of modules.values()) {
    m.requires = [];
    for (const node of nodesUnder(m.fn)) {
      const r = requiredName(node, requireDecl);
      if (r === undefined) continue;
      if (r.name === undefined) return undefined;
      if (!modules.has(r.name)) continue; // the board's own module: the global require
      if (node.base.fn !== m.fn) return undefined;
      m.requires.push({ call: node, target: r.name });
    }
    m.requires.sort((a, b) => a.call.range[0] - b.call.range[0]);
    // a module body reading its own `...` (the loader passes the module's name) is left alone
    for (const node of nodesUnder(m.fn)) if (node.type === "VarargLiteral" && fnOf(node) === m.fn) return undefined;
  }

  // Load order: as the loader runs them, each module after the ones it requires first.
  const order = [];
  const state = new Map();
  function visit(name) {
    if (state.get(name) === "done") return true;
    if (state.get(name) === "visiting") return false;
    state.set(name, "visiting");
    for (const r of modules.get(name).requires) if (!visit(r.target)) return false;
    state.set(name, "done");
    order.push(modules.get(name));
    return true;
  }
  if (!visit(bundle.entryName)) return undefined;
  order.forEach((m, i) => (m.index = i));

  for (const m of order) {
    const body = m.fn.body;
    const first = body[0];
    const last = body[body.length - 1];
    if (
      first?.type !== "LocalStatement" || first.variables.length !== 1 || first.variables[0].name !== EXPORTS ||
      first.init.length !== 1 || first.init[0].type !== "TableConstructorExpression" || first.init[0].fields.length !== 0 ||
      last?.type !== "ReturnStatement" || last.arguments.length !== 1 || last.arguments[0].type !== "Identifier" ||
      last.arguments[0].decl !== first.variables[0].decl || body.length < 2
    ) {
      return undefined;
    }
    m.exportsDecl = first.variables[0].decl;
    m.top = new Set(topStatements(body));
    m.usesSelf = m.fn !== undefined && bindsSelf(m.fn);
    m.fields = new Map(); // name -> {reads: [MemberExpression], defs: [{stmt, member}]}
    m.tableUses = []; // uses of the module's table that need the table
    m.colonCalls = 0;
  }
  const field = (m, name) => {
    let f = m.fields.get(name);
    if (f === undefined) m.fields.set(name, (f = { name, module: m, reads: [], defs: [], external: false }));
    return f;
  };

  // Uses of each module's exports table inside the module.
  for (const m of order) {
    for (const id of m.exportsDecl.refs) {
      if (id.parent === m.fn.body[m.fn.body.length - 1]) continue;
      const member = id.parent;
      if (member.type === "MemberExpression" && member.base === id && member.indexer === ".") {
        const stmt = member.parent;
        if ((stmt.type === "AssignmentStatement" && stmt.variables.includes(member)) || (stmt.type === "FunctionDeclaration" && stmt.identifier === member)) {
          field(m, member.identifier.name).defs.push({ stmt, member });
        } else {
          field(m, member.identifier.name).reads.push({ member });
        }
      } else {
        m.tableUses.push(id);
      }
    }
    if (m.exportsDecl.writes.length > 0) m.tableUses.push(...m.exportsDecl.writes);
  }

  // Uses of each module's table in the modules requiring it.
  for (const m of order) {
    m.sites = [];
    for (const { call, target } of m.requires) {
      const t = modules.get(target);
      const stmt = call.parent;
      if (stmt.type === "CallStatement") {
        m.sites.push({ kind: "bare", stmt, target: t });
        continue;
      }
      if (stmt.type === "LocalStatement" && stmt.variables.length === 1 && stmt.init.length === 1 && stmt.init[0] === call && stmt.variables[0].decl.writes.length === 0) {
        const decl = stmt.variables[0].decl;
        const uses = [];
        for (const id of decl.refs) {
          const member = id.parent;
          if (member.type === "MemberExpression" && member.base === id) {
            const outer = member.parent;
            const written = (outer.type === "AssignmentStatement" && outer.variables.includes(member)) || (outer.type === "FunctionDeclaration" && outer.identifier === member);
            if (written) {
              t.tableUses.push(id);
            } else if (member.indexer === ":") {
              if (outer.type === "CallExpression" || outer.type === "StringCallExpression" || outer.type === "TableCallExpression") {
                t.colonCalls++;
                uses.push({ kind: "colon", member, call: outer });
              } else {
                t.tableUses.push(id);
              }
            } else {
              uses.push({ kind: "read", member });
            }
          } else {
            t.tableUses.push(id);
          }
        }
        m.sites.push({ kind: "local", stmt, decl, uses, target: t });
        continue;
      }
      t.tableUses.push(call);
      m.sites.push({ kind: "expression", call, target: t });
    }
  }
  // Reads of the standard library's functions (`string.byte`): locals set once at the start, where
  // nothing in the bundle assigns the library table or its fields.
  const std = new Map();
  const written = new Set();
  for (const m of order) {
    for (const node of nodesUnder(m.fn)) {
      if (node.type === "Identifier" && node.decl === null && STD_TABLES.has(node.name)) {
        const member = node.parent;
        const outer = member?.parent;
        if (member.type !== "MemberExpression" || member.base !== node || member.indexer !== "." ||
          (outer.type === "AssignmentStatement" && outer.variables.includes(member)) || (outer.type === "FunctionDeclaration" && outer.identifier === member)) {
          written.add(node.name);
          continue;
        }
        const key = `${node.name}.${member.identifier.name}`;
        if (!std.has(key)) std.set(key, { key, table: node.name, name: member.identifier.name, members: [], ids: [] });
        std.get(key).members.push(member);
        std.get(key).ids.push(node);
      } else if (node.type === "Identifier" && node.decl === null && STD_FUNCTIONS.has(node.name)) {
        const outer = node.parent;
        if ((outer.type === "AssignmentStatement" && outer.variables.includes(node)) || (outer.type === "FunctionDeclaration" && outer.identifier === node)) {
          written.add(node.name);
          continue;
        }
        if (!std.has(node.name)) std.set(node.name, { key: node.name, table: node.name, name: node.name, members: [], ids: [] });
        std.get(node.name).members.push(node);
        std.get(node.name).ids.push(node);
      }
    }
  }
  for (const [key, entry] of std) {
    if (written.has(entry.table) || new Set(entry.ids.map((id) => id.fn)).size < 2) std.delete(key);
  }
  // Locals that only ever hold a non-negative numeral (`local TICK_MS = 100`, never assigned again):
  // the numeral itself where they are read, one local and upvalue less.
  const constants = [];
  for (const m of order) {
    for (const node of nodesUnder(m.fn)) {
      if (node.type !== "LocalStatement" || node.variables.length !== 1 || node.init.length !== 1 || node.init[0].type !== "NumericLiteral") continue;
      const decl = node.variables[0].decl;
      if (decl.writes.length === 0) constants.push({ stmt: node, decl, raw: node.init[0].raw });
    }
  }
  return { source, chunk, bundle, order, std: [...std.values()], constants };
}

function fnOf(node) {
  let n = node.parent;
  while (n !== undefined && n.type !== "FunctionDeclaration" && n.type !== "Chunk") n = n.parent;
  return n;
}

/** True when a function under root declares a parameter `self` that its body reads. */
function bindsSelf(root) {
  for (const node of nodesUnder(root)) {
    if (node.type === "FunctionDeclaration" && node !== root) {
      const self = node.parameters.find((p) => p.type === "Identifier" && p.name === "self");
      if (self !== undefined && self.decl.refs.length > 0) return true;
    }
  }
  return false;
}

/**
 * The flattened source, with the modules in `tables` (names) kept as tables and the fields in `cold`
 * (field objects) kept as fields of their module's table.
 */
function emit(analysis, tables, cold, wrapped) {
  const { source, order } = analysis;
  const edits = [];
  const taken = new Set(source.match(/[A-Za-z_][A-Za-z0-9_]*/g));
  let counter = 0;
  const fresh = (hint) => {
    let name;
    do name = `__F${counter++}_${sanitize(hint)}`; while (taken.has(name));
    taken.add(name);
    return name;
  };
  const edit = (start, end, text) => edits.push({ start, end, text });
  const remove = (node) => edit(node.range[0], node.range[1], "");

  for (const c of analysis.constants) {
    remove(c.stmt);
    for (const id of c.decl.refs) edit(id.range[0], id.range[1], c.raw);
  }

  const entry = order[order.length - 1];
  for (const m of order) {
    m.flat = m !== entry && !tables.has(m.name);
    m.tableName = m === entry ? undefined : fresh(m.name);
    m.hasTable = !m.flat && m !== entry;
    m.chunkLocals = [];
    m.blockLocals = [];
    m.lines = undefined;
    m.parts = undefined;
  }

  // Exported fields of flattened modules: reads from elsewhere, then each field's local.
  for (const m of order) {
    for (const site of m.sites) {
      if (site.kind !== "local" || !site.target.flat) continue;
      for (const use of site.uses) {
        const t = site.target;
        let f = t.fields.get(use.member.identifier.name);
        if (f === undefined) t.fields.set(use.member.identifier.name, (f = { name: use.member.identifier.name, module: t, reads: [], defs: [], external: false }));
        f.external = true;
        f.externalUses = (f.externalUses ?? 0) + 1;
        f.fns ??= new Set();
        f.fns.add(use.member.base.fn);
        if (use.kind === "read" && use.member.parent.type === "LocalStatement") {
          for (const id of use.member.parent.variables[0].decl.refs) f.fns.add(id.fn);
        }
      }
    }
  }
  const unread = (m, v) => v.type === "MemberExpression" && v.base.decl === m.exportsDecl && !m.fields.get(v.identifier.name).external && m.fields.get(v.identifier.name).reads.length === 0;
  for (const m of order) {
    if (!m.flat) continue;
    for (const f of m.fields.values()) {
      f.local = undefined;
      f.alias = undefined;
      f.cold = cold.has(f);
      // the table never leaves the library: its fields take short names

      f.dead = !f.external && f.reads.length === 0 &&
        f.defs.every((d) => d.stmt.type === "FunctionDeclaration" || (d.stmt.init.every(isPure) && d.stmt.variables.every((v) => unread(m, v))));
    }
  }

  // Fields left in tables share one, which never leaves the library: short names, the most used first.
  const coldFields = [];
  for (const m of order) if (m.flat) for (const f of m.fields.values()) if (f.cold) coldFields.push(f);
  coldFields.sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  coldFields.forEach((f, i) => (f.short = shortName(i)));
  const coldTable = coldFields.length > 0 ? fresh("fields") : undefined;

  // A field assigned once, at its module's top level, is "stable" after that statement.
  const stableDef = (f) => (!f.cold && f.defs.length === 1 && f.module.top.has(f.defs[0].stmt) ? f.defs[0].stmt : undefined);
  const resolveField = (f) => {
    for (let n = 0; f.alias !== undefined && n < 100; n++) f = f.alias;
    return f;
  };
  // Export aliases: a field assigned once at top level from another module's stable field.
  for (const m of order) {
    if (!m.flat) continue;
    for (const f of m.fields.values()) {
      const stmt = stableDef(f);
      if (stmt === undefined || stmt.type !== "AssignmentStatement" || stmt.variables.length !== 1) continue;
      const init = stmt.init[0];
      if (init.type !== "MemberExpression" || init.indexer !== "." || init.base.type !== "Identifier") continue;
      const site = m.sites.find((x) => x.kind === "local" && x.decl === init.base.decl);
      if (site === undefined || !site.target.flat) continue;
      const target = resolveField(site.target.fields.get(init.identifier.name));
      if (stableDef(target) === undefined || target.module === m) continue;
      f.alias = target;
      target.external = true;
    }
  }
  const localOf = (f) => {
    f = resolveField(f);
    if (f.cold) return `${coldTable}.${f.short}`;
    if (f.local === undefined) {
      f.local = fresh(f.name);
      (f.external ? f.module.chunkLocals : f.module.blockLocals).push(f.local);
    }
    return f.local;
  };
  for (const m of order) if (m.hasTable) m.chunkLocals.push(m.tableName);
  const stdLocals = [];
  for (const e of analysis.std) {
    e.local = undefined;
    if (cold.has(e)) continue;
    e.local = fresh(e.name);
    stdLocals.push(e);
    for (const member of e.members) edit(member.range[0], member.range[1], e.local);
  }
  // Fields that reach other modules through aliases are chunk-level: all marked before naming.
  for (const m of order) if (m.flat) for (const f of m.fields.values()) if (f.alias === undefined && (f.external || f.reads.length > 0) && !f.dead) localOf(f);

  for (const m of order) {
    const body = m.fn.body;
    if (m.flat) {
      remove(body[0]);
      remove(body[body.length - 1]);
      for (const f of m.fields.values()) {
        if (f.dead) {
          for (const d of f.defs) remove(d.stmt);
          continue;
        }
        if (f.alias !== undefined) {
          remove(f.defs[0].stmt);
          for (const r of f.reads) edit(r.member.range[0], r.member.range[1], localOf(f));
          continue;
        }
        for (const d of f.defs) edit(d.member.range[0], d.member.range[1], localOf(f));
        for (const r of f.reads) edit(r.member.range[0], r.member.range[1], localOf(f));
      }
    } else if (m !== entry) {
      const ret = body[body.length - 1];
      edit(ret.range[0], ret.range[1], `${m.tableName} = ${EXPORTS}`);
    }
    for (const site of m.sites) {
      const t = site.target;
      if (site.kind === "bare") {
        remove(site.stmt);
      } else if (site.kind === "expression") {
        edit(site.call.range[0], site.call.range[1], t.tableName);
      } else if (!t.flat) {
        remove(site.stmt);
        for (const id of site.decl.refs) edit(id.range[0], id.range[1], t.tableName);
      } else {
        remove(site.stmt);
        for (const use of site.uses) {
          const f = resolveField(t.fields.get(use.member.identifier.name));
          const name = localOf(f);
          if (f.cold) {
            edit(use.member.range[0], use.member.range[1], `${coldTable}${use.member.indexer}${f.short}`);
          } else if (use.kind === "read") {
            // `local g = m.f` where m.f is stable by now: g is m.f's local
            const stmt = use.member.parent;
            if (
              stmt.type === "LocalStatement" && stmt.variables.length === 1 && stmt.init.length === 1 && stmt.init[0] === use.member &&
              m.top.has(stmt) && stmt.variables[0].decl.writes.length === 0 && stableDef(f) !== undefined && f.module !== m
            ) {
              remove(stmt);
              for (const id of stmt.variables[0].decl.refs) edit(id.range[0], id.range[1], name);
            } else {
              edit(use.member.range[0], use.member.range[1], name);
            }
          } else {
            edit(use.member.range[0], use.member.range[1], name);
            const call = use.call;
            if (call.type === "CallExpression") {
              const open = source.indexOf("(", use.member.range[1]);
              edit(open + 1, open + 1, call.arguments.length > 0 ? "nil, " : "nil");
            } else {
              const arg = call.type === "StringCallExpression" ? call.argument : call.arguments;
              edit(use.member.range[1], arg.range[0], "(nil, ");
              edit(call.range[1], call.range[1], ")");
            }
          }
        }
      }
    }
  }

  // Each chunk-level local is declared in the innermost `do` block spanning the modules from its own
  // to the last one naming it, so it stops counting against the main chunk's locals after that.
  const texts = order.map((m) => applyEdits(source, m.fn.body[0].range[0], m.fn.body[m.fn.body.length - 1].range[1], edits));
  const namesIn = texts.map((t) => new Set(t.match(/[A-Za-z_][A-Za-z0-9_]*/g)));
  const lastUse = (name, from) => {
    let last = from;
    for (let k = from; k < order.length; k++) if (namesIn[k].has(name)) last = k;
    analysis.spans.set(name, [from, last]);
    return last;
  };
  analysis.namesIn = namesIn;
  analysis.spans = new Map(stdLocals.map((e) => [e.local, [0, Infinity]]));
  if (coldTable !== undefined) analysis.spans.set(coldTable, [0, Infinity]);
  const parts = [];
  const root = { end: Infinity, slot: parts.push("") - 1, names: [] };
  if (coldTable !== undefined) parts.push(`local ${coldTable} = {}\n`);
  if (stdLocals.length > 0) parts.push(`local ${stdLocals.map((e) => e.local).join(", ")} = ${stdLocals.map((e) => e.key).join(", ")}\n`);
  const stack = [root];
  const allBlocks = [];
  order.forEach((m, i) => {
    while (stack[stack.length - 1].end < i) {
      stack.pop();
      parts.push("end\n");
    }
    const group = [];
    let groupEnd = i;
    let prelude = "";
    for (const name of m.chunkLocals) {
      const last = lastUse(name, i);
      if (last <= stack[stack.length - 1].end) {
        group.push(name);
        groupEnd = Math.max(groupEnd, last);
      } else {
        // lives longer than the innermost block: declared where an enclosing block opens
        [...stack].reverse().find((b) => b.end >= last).names.push(name);
        if (name === m.tableName && m.flat) prelude = `${name} = {}\n`;
      }
    }
    if (group.length > 0) {
      const withTable = m.flat && m.hasTable && group.includes(m.tableName);
      const names = withTable ? [m.tableName, ...group.filter((n) => n !== m.tableName)] : group;
      if (groupEnd > i && groupEnd < stack[stack.length - 1].end) {
        const block = { end: groupEnd, slot: -1, names: [] };
        allBlocks.push(block);
        parts.push("do\n");
        block.slot = parts.push("") - 1;
        stack.push(block);
      }
      parts.push(`local ${names.join(", ")}${withTable ? " = {}" : ""}\n`);
    } else if (prelude === "" && m.flat && m.hasTable && !m.chunkLocals.includes(m.tableName)) {
      prelude = `${m.tableName} = {}\n`;
    }
    const text = texts[i];
    if (text.trim() === "" && m.blockLocals.length === 0) return;
    const inner = `${prelude}${m.blockLocals.length > 0 ? `local ${m.blockLocals.join(", ")}\n` : ""}${text}\n`;
    m.parts = [parts.length];
    // a wrapped module's locals are its own function's, not the main chunk's
    if (!wrapped.has(m.name)) parts.push(`do\n${inner}end\n`);
    else if (m === entry) parts.push(`return (function()\n${inner}end)()\n`);
    else parts.push(`do (function()\n${inner}end)() end\n`);
    m.parts.push(parts.length);
  });
  while (stack.length > 1) {
    stack.pop();
    parts.push("end\n");
  }
  // every slot is one line, filled or not
  for (const b of [root, ...allBlocks]) parts[b.slot] = b.names.length > 0 ? `local ${b.names.join(", ")}\n` : "\n";
  let line = 1;
  const lineAt = [];
  for (const p of parts) {
    lineAt.push(line);
    line += p.split("\n").length - 1;
  }
  lineAt.push(line);
  for (const m of order) if (m.parts !== undefined) m.lines = [lineAt[m.parts[0]], lineAt[m.parts[1]] - 1];
  return parts.join("");
}

/**
 * Flattens a TSTL bundle. `fits(lua)` (optional) checks a candidate against the target's limits: true
 * when it fits, else the number of locals over (or any positive number); while it does not fit, that
 * many more exported fields, the least used first, stay fields of their module's table. Returns the
 * source unchanged when it is not a bundle in the expected shape or when nothing fits.
 * @param {string} source
 * @param {(lua: string) => true | number} [fits]
 * @returns {string}
 */
export function flattenLua(source, fits = () => true) {
  const analysis = analyse(source);
  if (analysis === undefined) return source;
  const { order } = analysis;
  const tables = new Set();
  for (const m of order) {
    if (m.name === LUALIB || m.tableUses.length > 0 || (m.usesSelf && m.colonCalls > 0)) tables.add(m.name);
  }
  const cold = new Set();
  const wrapped = new Set();
  for (;;) {
    const lua = emit(analysis, tables, cold, wrapped);
    const verdict = fits(lua);
    if (verdict === true) {
      // fields were turned back several at a time: the most used of them get their locals again while that fits
      let best = lua;
      // a module wrapped before fields were turned back may fit as a plain block now
      for (const name of [...wrapped]) {
        wrapped.delete(name);
        const again = emit(analysis, tables, cold, wrapped);
        if (fits(again) === true) best = again;
        else wrapped.add(name);
      }
      for (const f of [...cold].sort((a, b) => b.score - a.score).slice(0, PROMOTE_TRIES)) {
        cold.delete(f);
        const again = emit(analysis, tables, cold, wrapped);
        if (fits(again) === true) best = again;
        else cold.add(f);
      }
      return best;
    }
    // too many locals inside a module's block: that module becomes a function of its own
    const line = typeof verdict === "object" ? verdict.line : undefined;
    const at = order.find((m) => m.lines !== undefined && line >= m.lines[0] && line <= m.lines[1]);
    if (at !== undefined && !wrapped.has(at.name) && at.top.size > 2 && (verdict.over ?? 0) >= WRAP_OVER) {
      wrapped.add(at.name);
      continue;
    }
    const candidates = analysis.std.filter((e) => e.local !== undefined);
    for (const m of order) {
      if (!m.flat) continue;
      for (const f of m.fields.values()) if (!f.cold && !f.dead && f.alias === undefined && f.local !== undefined) candidates.push(f);
    }
    if (candidates.length === 0) return source;
    // Least gain first. A local instead of `t.f` saves, in each function using it, the constant "f"
    // (`string.byte`: two), and per use a table read; it costs the function an upvalue.
    const functionsOf = (nodes) => new Set(nodes.map((n) => n.fn));
    const score = (f) => {
      if (f.members !== undefined) {
        // the names in each function's constants ("string", "byte"), a table read per use
        const perFunction = f.key.length + (f.table === f.name ? 6 : 12);
        return perFunction * functionsOf(f.ids).size + (f.table === f.name ? 0 : 4 * f.members.length);
      }
      const fns = new Set([...(f.fns ?? []), ...functionsOf(f.reads.map((r) => r.member.base))]);
      return 10 * fns.size + 4 * (f.reads.length + (f.externalUses ?? 0));
    };
    for (const f of candidates) f.score = score(f);
    candidates.sort((a, b) => a.score - b.score);
    let over = typeof verdict === "object" ? verdict.over : verdict;
    let pool = candidates;
    if (at !== undefined) {
      // only the locals that count where the limit is passed: too many upvalues in a module's
      // functions, the chunk-level locals it reads; too many locals, the ones in scope there
      const k = order.indexOf(at);
      const names = analysis.namesIn[k];
      if (verdict.upvalues) {
        pool = candidates.filter((f) => names.has(f.local));
        over = Math.max(1, [...analysis.spans.keys()].filter((n) => names.has(n)).length - MAX_UPVALUES);
      } else {
        pool = candidates.filter((f) => {
          const span = analysis.spans.get(f.local);
          return span !== undefined ? span[0] <= k && k <= span[1] : f.module === at;
        });
      }
      if (pool.length === 0) pool = candidates;
    }
    for (const f of pool.slice(0, Math.max(1, Number(over) || 1))) cold.add(f);
  }
}

// ---------------------------------------------------------------------------------------------------
// Simplifications of the flattened chunk, each exact on Lua 5.1 and 5.3.

/** The literal text a call of a function `function f() return <literal> end` stands for; undefined otherwise. */
function constantReturn(fn, source) {
  if (fn.parameters.length !== 0 || fn.body.length !== 1 || fn.body[0].type !== "ReturnStatement" || fn.body[0].arguments.length !== 1) return undefined;
  const e = fn.body[0].arguments[0];
  if (e.type === "NumericLiteral" || e.type === "StringLiteral" || e.type === "BooleanLiteral" || e.type === "NilLiteral") return source.slice(e.range[0], e.range[1]);
  if (e.type === "UnaryExpression" && e.operator === "-" && e.argument.type === "NumericLiteral") return `(${source.slice(e.range[0], e.range[1])})`;
  return undefined;
}

const CALLS = new Set(["CallExpression", "StringCallExpression", "TableCallExpression"]);

/** The `local f` statements that declare a name without a value (a later `function f` gives it one), by declaration. */
function forwardDeclarations(chunk) {
  const localOf = new Map();
  for (const node of nodesUnder(chunk)) {
    if (node.type === "LocalStatement" && node.init.length === 0) for (const id of node.variables) localOf.set(id.decl, node);
  }
  return localOf;
}

/** The function declarations under chunk whose name is a plain identifier. */
function namedFunctions(chunk) {
  return [...nodesUnder(chunk)].filter((n) => n.type === "FunctionDeclaration" && n.identifier !== null && n.identifier.type === "Identifier");
}

/**
 * A local function that only returns a literal (`function ioChunk() return 1460 end`), assigned once
 * and only ever called without arguments: each call becomes the literal, the function goes.
 */
function inlineConstantFunctions(chunk, source, edit, removeName, tryEdits) {
  const localOf = forwardDeclarations(chunk);
  for (const node of namedFunctions(chunk)) {
    const decl = node.identifier.decl;
    const literal = constantReturn(node, source);
    if (decl === null || decl === undefined || literal === undefined) continue;
    const declaredBy = node.isLocal ? undefined : localOf.get(decl);
    if (node.isLocal ? decl.writes.length !== 0 : declaredBy === undefined || decl.writes.length !== 1) continue;
    if (!decl.refs.every((id) => id.parent.type === "CallExpression" && id.parent.base === id && id.parent.arguments.length === 0)) continue;
    for (const id of decl.refs) {
      const call = id.parent;
      const outer = call.parent;
      if (outer.type === "CallStatement") {
        edit(outer.range[0], outer.range[1], "");
      } else {
        const isBase = (outer.type === "MemberExpression" || outer.type === "IndexExpression" || CALLS.has(outer.type)) && outer.base === call;
        edit(call.range[0], call.range[1], isBase && !literal.startsWith("(") ? `(${literal})` : literal);
      }
    }
    edit(node.range[0], node.range[1], "");
    if (declaredBy !== undefined) removeName(declaredBy, decl);
  }
  // the same for a field of a local table only ever indexed by name (`t.f`: the fields table the flattening keeps)
  for (const node of nodesUnder(chunk)) {
    if (node.type !== "LocalStatement" || node.variables.length !== 1 || node.init.length !== 1 || node.init[0].type !== "TableConstructorExpression") continue;
    const decl = node.variables[0].decl;
    if (decl.writes.length !== 0 || !decl.refs.every((id) => id.parent.type === "MemberExpression" && id.parent.base === id && id.parent.indexer === ".")) continue;
    const fields = new Map();
    for (const id of decl.refs) {
      const member = id.parent;
      const outer = member.parent;
      const key = member.identifier.name;
      if (!fields.has(key)) fields.set(key, { defs: [], reads: [] });
      const written = (outer.type === "AssignmentStatement" && outer.variables.includes(member)) || (outer.type === "FunctionDeclaration" && outer.identifier === member);
      fields.get(key)[written ? "defs" : "reads"].push(member);
    }
    if (node.init[0].fields.length > 0) continue;
    // a field set once to a numeral or a short string, where the main chunk runs straight (not in a loop,
    // branch or function), and read only inside functions: TypeScript's `export const` (no read before
    // its definition: the temporal dead zone), the literal where it is read
    for (const { defs, reads } of fields.values()) {
      if (defs.length !== 1 || defs[0].parent.type !== "AssignmentStatement" || defs[0].parent.variables.length !== 1 || reads.length === 0) continue;
      const stmt = defs[0].parent;
      const value = stmt.init[0];
      if (!(value.type === "NumericLiteral" || (value.type === "StringLiteral" && (reads.length === 1 || value.raw.length <= 14)))) continue;
      let straight = true;
      for (let n = stmt.parent; n !== undefined && n.type !== "Chunk"; n = n.parent) if (n.type !== "DoStatement") straight = false;
      if (!straight || !reads.every((m) => fnOf(m) !== undefined && fnOf(m).type === "FunctionDeclaration")) continue;
      const text = source.slice(value.range[0], value.range[1]);
      tryEdits([{ start: stmt.range[0], end: stmt.range[1], text: "" }, ...reads.map((m) => ({ start: m.range[0], end: m.range[1], text: m.parent.type === "MemberExpression" || m.parent.type === "IndexExpression" || (CALLS.has(m.parent.type) && m.parent.base === m) ? `(${text})` : text }))]);
    }
    for (const { defs, reads } of fields.values()) {
      if (defs.length !== 1 || defs[0].parent.type !== "FunctionDeclaration") continue;
      const literal = constantReturn(defs[0].parent, source);
      if (literal === undefined || !reads.every((m) => m.parent.type === "CallExpression" && m.parent.base === m && m.parent.arguments.length === 0)) continue;
      const edits = [{ start: defs[0].parent.range[0], end: defs[0].parent.range[1], text: "" }];
      for (const m of reads) {
        const call = m.parent;
        const outer = call.parent;
        if (outer.type === "CallStatement") edits.push({ start: outer.range[0], end: outer.range[1], text: "" });
        else {
          const isBase = (outer.type === "MemberExpression" || outer.type === "IndexExpression" || CALLS.has(outer.type)) && outer.base === call;
          edits.push({ start: call.range[0], end: call.range[1], text: isBase && !literal.startsWith("(") ? `(${literal})` : literal });
        }
      }
      tryEdits(edits);
    }
  }
}

/** The statements of fn's own level (not inside nested functions) of the given types. */
function ownStatements(fn, types) {
  const out = [];
  for (const node of nodesUnder({ type: "Body", body: fn.body })) {
    if (types.has(node.type) && fnOf(node) === fn) out.push(node);
  }
  return out;
}

const LOOPS = new Set(["WhileStatement", "RepeatStatement", "ForNumericStatement", "ForGenericStatement"]);

/** True when a loop encloses the statement below fn. */
function loopBetween(stmt, fn) {
  for (let n = stmt.parent; n !== undefined && n !== fn; n = n.parent) if (LOOPS.has(n.type)) return true;
  return false;
}

/** fresh(hint): a name not in source nor given before. */
function freshNames(source) {
  const taken = new Set(source.match(/[A-Za-z_][A-Za-z0-9_]*/g));
  let counter = 0;
  return (hint) => {
    let name;
    do name = `${hint}_${counter++}`; while (taken.has(name));
    taken.add(name);
    return name;
  };
}

/**
 * The statement a block holder's body holds that leads to stmt where the way there runs straight: through
 * `do` blocks and functions called at once (`(function() … end)()`, a module's block the flattening made a
 * function for its locals), so stmt runs once each time that statement does; undefined otherwise.
 */
function straightChildOf(holder, stmt) {
  for (let n = stmt; n !== undefined; ) {
    const p = n.parent;
    if (p === holder) return holder.body.includes(n) ? n : undefined;
    if (p?.type === "DoStatement") n = p;
    else if (p?.type === "FunctionDeclaration" && p.parameters.length === 0 && p.parent?.type === "CallExpression" && p.parent.base === p &&
      p.parent.arguments.length === 0 && (p.parent.parent.type === "CallStatement" || p.parent.parent.type === "ReturnStatement")) n = p.parent.parent;
    else return undefined;
  }
  return undefined;
}

/** The innermost node holding a body (a block: the chunk, `do`, a function, a loop, an if clause) that encloses both a and b. */
function commonBlock(a, b) {
  const around = new Set();
  for (let n = b.parent; n !== undefined; n = n.parent) around.add(n);
  for (let n = a.parent; n !== undefined; n = n.parent) if (around.has(n) && Array.isArray(n.body)) return n;
  return undefined;
}

/**
 * The functions inlineCalledOnce may inline: a local function (`local function f`, or `local f` … `function f`)
 * and a function set once, where the chunk runs straight, to a field of a table that never leaves the chunk
 * (`function t.f(…)`, `t.f = function(…)`: the fields table the flattening keeps), each read once.
 */
function inlinable(chunk) {
  const out = [];
  const localOf = forwardDeclarations(chunk);
  for (const node of namedFunctions(chunk)) {
    const decl = node.identifier.decl;
    if (decl === null || decl === undefined || decl.refs.length !== 1) continue;
    const declaredBy = node.isLocal ? undefined : localOf.get(decl);
    if (node.isLocal ? decl.writes.length !== 0 : declaredBy === undefined || decl.writes.length !== 1) continue;
    out.push({ node, def: node, ref: decl.refs[0], declaredBy, decl });
  }
  for (const stmt of nodesUnder(chunk)) {
    if (stmt.type !== "LocalStatement" || stmt.variables.length !== 1 || stmt.init.length !== 1 || stmt.init[0].type !== "TableConstructorExpression" || stmt.init[0].fields.length !== 0) continue;
    const table = stmt.variables[0].decl;
    if (table.writes.length !== 0 || !table.refs.every((id) => id.parent.type === "MemberExpression" && id.parent.base === id && id.parent.indexer === ".")) continue;
    const fields = new Map();
    for (const id of table.refs) {
      const member = id.parent;
      if (!fields.has(member.identifier.name)) fields.set(member.identifier.name, { defs: [], reads: [] });
      const outer = member.parent;
      const written = (outer.type === "AssignmentStatement" && outer.variables.includes(member)) || (outer.type === "FunctionDeclaration" && outer.identifier === member);
      fields.get(member.identifier.name)[written ? "defs" : "reads"].push(member);
    }
    for (const { defs, reads } of fields.values()) {
      if (defs.length !== 1 || reads.length !== 1) continue;
      const def = defs[0].parent;
      let node;
      if (def.type === "FunctionDeclaration") node = def;
      else if (def.variables.length === 1 && def.init.length === 1 && def.init[0].type === "FunctionDeclaration") node = def.init[0];
      if (node === undefined || straightChildOf(chunk, def) === undefined) continue;
      out.push({ node, def, ref: reads[0] });
    }
  }
  return out;
}

/**
 * A local function called once, as a statement (`f(a, b)`), for a local or variable (`x = f()`) or returned
 * (`return f()`): the call becomes `do local p, q = a, b <body> end` where every name the body reads from
 * outside means the same, and the function goes (its prototype, closure, local and call). A return before
 * the body's end becomes a `break` out of a `repeat <body> until true` (none inside a loop of the body).
 * The same for a function in a field of the fields table (inlinable()).
 * A local of the function's surroundings that the call does not see (a module's state, in its block) is
 * declared, renamed, in the innermost block around both, just before the statement leading to its own
 * declaration, which becomes an assignment; where the way from that block to it runs straight (`do` blocks,
 * functions called at once) it is the same variable, set at the same time, and seen at the call.
 * A local set by `function f(…)` statements (a forward declaration) moves so only with hoistFunctions
 * (simplifyLua runs the rounds both ways when it can weigh them).
 */
function inlineCalledOnce(chunk, source, scopesAt, hoistFunctions = false) {
  const out = [];
  let fresh;
  const declaredIn = new Map();
  for (const n of nodesUnder(chunk)) if (n.type === "LocalStatement") for (const id of n.variables) declaredIn.set(id.decl, n);
  for (const { node, def, ref: id, declaredBy, decl } of inlinable(chunk)) {
    if (node.parameters.some((p) => p.type !== "Identifier")) continue;
    const call = id.parent;
    if (call.type !== "CallExpression" || call.base !== id) continue;
    const callerFn = id.type === "Identifier" ? id.fn : id.base.fn;
    // where the call stands: a statement, `local x = f()`, `x = f()`, `return f()`
    const stmt = call.parent;
    let kind;
    if (stmt.type === "CallStatement") kind = "statement";
    else if (stmt.type === "LocalStatement" && stmt.variables.length === 1 && stmt.init.length === 1 && stmt.init[0] === call) kind = "local";
    else if (stmt.type === "AssignmentStatement" && stmt.variables.length === 1 && stmt.variables[0].type === "Identifier" && stmt.init.length === 1 && stmt.init[0] === call) kind = "assign";
    else if (stmt.type === "ReturnStatement" && stmt.arguments.length === 1 && stmt.arguments[0] === call) kind = "return";
    else continue;
    if (stmt.range[0] >= node.range[0] && stmt.range[1] <= node.range[1]) continue;
    const body = node.body;
    const returns = ownStatements(node, new Set(["ReturnStatement"]));
    const last = body[body.length - 1];
    const lastReturns = last?.type === "ReturnStatement";
    // `return f()`: the body's returns return from the caller as they did. Else a return before the end
    // leaves the block by `break` (the block a `repeat … until true`), where no loop of the body encloses it;
    // its values set the variable (a call statement drops them: they must have no effect).
    const early = kind === "return" ? [] : returns.filter((r) => r !== last);
    if (early.some((r) => loopBetween(r, node) || (kind === "statement" && !r.arguments.every(isPure)))) continue;
    if (kind === "statement" ? lastReturns && !last.arguments.every(isPure) : kind !== "return" && (!lastReturns || last.arguments.length === 0)) continue;
    const kept = lastReturns && kind !== "return" ? body.slice(0, -1) : body;
    // the variable set from the result: named in the function only by locals of its own (renamed), nowhere in the arguments
    const target = kind === "local" || kind === "assign" ? stmt.variables[0].name : undefined;
    const named = (n) => n.type === "Identifier" && n.name === target;
    const own = (n) => n.decl !== null && n.decl !== undefined && n.decl.id.range[0] >= node.range[0] && n.decl.id.range[1] <= node.range[1];
    if (target !== undefined && (node.parameters.some(named) || [...nodesUnder(node)].some((n) => named(n) && !own(n)) || call.arguments.some((a) => [...nodesUnder(a)].some(named)))) continue;
    // every name the body reads from outside it must mean the same at the call
    const scopes = scopesAt.get(stmt);
    if (scopes === undefined) continue;
    const visible = (name) => {
      for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i].has(name)) return scopes[i].get(name);
      return null;
    };
    // a local it does not see: declared in the block around both (hoist()), renamed
    const hoisted = new Map();
    const hoist = (d) => {
      const at = declaredIn.get(d) ?? (d.fnNode?.isLocal ? d.fnNode : undefined);
      if (at === undefined || at.range[1] > node.range[0]) return undefined;
      if (!hoistFunctions && at.type === "LocalStatement" && at.variables.some((v) => v.decl.writes.some((w) => w.parent.type === "FunctionDeclaration" && w.parent.identifier === w))) return undefined;
      const holder = commonBlock(at, stmt);
      const child = holder && straightChildOf(holder, at);
      let callChild = stmt;
      while (callChild !== undefined && callChild.parent !== holder) callChild = callChild.parent;
      if (child === undefined || callChild === undefined || holder.body.indexOf(callChild) <= holder.body.indexOf(child)) return undefined;
      return { at, child };
    };
    let same = true;
    const skip = node.identifier ?? { range: [0, 0] };
    for (const n of nodesUnder(node)) {
      if (n.type !== "Identifier" || (n.range[0] >= skip.range[0] && n.range[1] <= skip.range[1])) continue;
      const d = n.decl;
      const inside = d !== null && d !== undefined && d.id.range[0] >= node.range[0] && d.id.range[1] <= node.range[1];
      if (inside || d === undefined || visible(n.name) === d || hoisted.has(d)) continue;
      const h = d === null ? undefined : hoist(d);
      if (h === undefined) {
        same = false;
        break;
      }
      if (h.at.type === "LocalStatement") for (const v of h.at.variables) hoisted.set(v.decl, h);
      else hoisted.set(d, h);
    }
    if (!same) continue;
    // a parameter the body never names goes with its argument when that has no effect
    const pureArg = (a) => a === undefined || isPure(a) || (a.type === "BinaryExpression" && a.left.type === "NumericLiteral" && a.right.type === "NumericLiteral");
    const unused = (i) => node.parameters[i].decl.refs.length === 0 && node.parameters[i].decl.writes.length === 0 && pureArg(call.arguments[i]);
    // a parameter never assigned whose argument is a literal, or a variable nothing can change while the body runs: that argument where it is read
    const inner = [...nodesUnder(node)];
    const calls = inner.some((n) => CALLS.has(n.type));
    const closures = inner.some((n) => n.type === "FunctionDeclaration" && n !== node);
    const settled = (a) => {
      if (a === undefined || a.type === "StringLiteral" || a.type === "BooleanLiteral" || a.type === "NilLiteral") return true;
      if (a.type === "NumericLiteral") return true;
      if (a.type !== "Identifier" || a.decl === null || a.decl === undefined || closures) return false;
      if (inner.some((n) => n.type === "Identifier" && n.name === a.name)) return false;
      const d = a.decl;
      return !calls || (d.fn === callerFn && [...d.refs, ...d.writes].every((r) => r.fn === d.fn));
    };
    const substitute = node.parameters.map((p, i) => !unused(i) && p.decl.writes.length === 0 && settled(call.arguments[i]));
    const keep = node.parameters.map((_, i) => !unused(i) && !substitute[i]);
    const bodyEdits = [];
    node.parameters.forEach((p, i) => {
      if (!substitute[i]) return;
      const a = call.arguments[i];
      const text = a === undefined ? "nil" : source.slice(a.range[0], a.range[1]);
      for (const r of p.decl.refs) bodyEdits.push({ start: r.range[0], end: r.range[1], text });
    });
    const hoistEdits = [];
    const names = new Map();
    for (const [d, h] of hoisted) {
      if (fresh === undefined) fresh = freshNames(source);
      const name = fresh(d.name);
      if (!names.has(h)) names.set(h, []);
      names.get(h).push(name);
      for (const r of [...d.refs, ...d.writes]) {
        const e = { start: r.range[0], end: r.range[1], text: name };
        if (r.range[0] >= node.range[0] && r.range[1] <= node.range[1]) bodyEdits.push(e);
        else if (r.range[0] < def.range[0] || r.range[1] > def.range[1]) hoistEdits.push(e);
      }
    }
    const declared = new Map();
    for (const [{ at, child }, list] of names) {
      // declared in the block around both already, shadowed at the call: renamed only
      if (child === at) {
        (at.type === "FunctionDeclaration" ? [at.identifier] : at.variables).forEach((id, i) => hoistEdits.push({ start: id.range[0], end: id.range[1], text: list[i] }));
        continue;
      }
      declared.set(child, [...(declared.get(child) ?? []), ...list]);
      if (at.type === "FunctionDeclaration") hoistEdits.push({ start: at.range[0], end: at.identifier.range[1], text: `function ${list[0]}` });
      else if (at.init.length > 0) hoistEdits.push({ start: at.range[0], end: at.variables[at.variables.length - 1].range[1], text: list.join(", ") });
      else hoistEdits.push({ start: at.range[0], end: at.range[1], text: "" });
    }
    for (const [child, list] of declared) hoistEdits.push({ start: child.range[0], end: child.range[0], text: `local ${list.join(", ")}\n` });
    if (target !== undefined) {
      for (const n of nodesUnder(node)) {
        if (named(n) && n.decl.id === n) {
          if (fresh === undefined) fresh = freshNames(source);
          const name = fresh(target);
          for (const r of [n, ...n.decl.refs, ...n.decl.writes]) bodyEdits.push({ start: r.range[0], end: r.range[1], text: name });
        }
      }
    }
    const valuesOf = (r) => r.arguments.map((a) => applyEdits(source, a.range[0], a.range[1], bodyEdits)).join(", ");
    for (const r of early) bodyEdits.push({ start: r.range[0], end: r.range[1], text: kind === "statement" ? "break" : `${target} = ${r.arguments.length > 0 ? valuesOf(r) : "nil"}\nbreak` });
    const text = kept.length > 0 ? applyEdits(source, kept[0].range[0], kept[kept.length - 1].range[1], bodyEdits) : "";
    const tail = kind === "local" || kind === "assign" ? `\n${target} = ${valuesOf(last)}` : kind === "return" && !lastReturns ? "\nreturn" : "";
    const [open, close] = early.length > 0 ? ["repeat", "until true"] : ["do", "end"];
    const params = node.parameters.filter((_, i) => keep[i]).map((p) => p.name).join(", ");
    const args = call.arguments.filter((_, i) => i >= keep.length || keep[i]).map((a) => source.slice(a.range[0], a.range[1])).join(", ");
    if (params === "" && args !== "") continue;
    const local = params === "" ? "" : `local ${params}${args === "" ? "" : ` = ${args}`}\n`;
    out.push({
      key: source.slice(node.range[0], node.range[1]),
      edits: [
        { start: stmt.range[0], end: stmt.range[1], text: `${kind === "local" ? `local ${target}\n` : ""}${open}\n${local}${text}${tail}\n${close}` },
        { start: def.range[0], end: def.range[1], text: "" },
        ...hoistEdits,
      ],
      declaredBy,
      decl,
    });
  }
  return out;
}

/** A local that only ever holds a numeral (`local limit = 4096`, never assigned): the numeral where it is read. */
function inlineConstantLocals(chunk, source, tryEdits) {
  for (const node of nodesUnder(chunk)) {
    if (node.type !== "LocalStatement" || node.variables.length !== 1 || node.init.length !== 1) continue;
    const e = node.init[0];
    const decl = node.variables[0].decl;
    let text;
    if (e.type === "NumericLiteral") text = e.raw;
    else if (e.type === "UnaryExpression" && e.operator === "-" && e.argument.type === "NumericLiteral") text = `(-${e.argument.raw})`;
    if (text === undefined || decl.writes.length !== 0) continue;
    tryEdits([{ start: node.range[0], end: node.range[1], text: "" }, ...decl.refs.map((id) => ({ start: id.range[0], end: id.range[1], text }))]);
  }
}

const COMPARE = { "==": (a, b) => a === b, "~=": (a, b) => a !== b, "<": (a, b) => a < b, "<=": (a, b) => a <= b, ">": (a, b) => a > b, ">=": (a, b) => a >= b };

/**
 * e with comparisons of numerals and and/or/not of constants folded (Lua's compiler folds arithmetic only):
 * {value} for a constant (true, false, nil, a number), {node} for e or the part of it that is its value.
 */
function fold(e) {
  switch (e.type) {
    case "NumericLiteral":
      return { value: e.value, node: e };
    case "BooleanLiteral":
      return { value: e.value };
    case "NilLiteral":
      return { value: null };
    case "BinaryExpression": {
      const [a, b] = [fold(e.left), fold(e.right)];
      if (COMPARE[e.operator] !== undefined && typeof a.value === "number" && typeof b.value === "number") return { value: COMPARE[e.operator](a.value, b.value) };
      return { node: e };
    }
    case "UnaryExpression": {
      const a = fold(e.argument);
      if (e.operator === "not" && a.value !== undefined) return { value: a.value === null || a.value === false };
      if (e.operator === "-" && typeof a.value === "number") return { value: -a.value, node: e };
      return { node: e };
    }
    case "LogicalExpression": {
      const a = fold(e.left);
      if (a.value === undefined) return { node: e };
      const truthy = a.value !== null && a.value !== false;
      if ((e.operator === "and") === truthy) return fold(e.right);
      return a;
    }
    default:
      return { node: e };
  }
}

/** Constant comparisons and the and/or chains they decide, folded (after inlining: `0 > 0 and 0 < n and 0 or n`). */
function foldConditions(chunk, source, edit) {
  const done = [];
  for (const node of nodesUnder(chunk)) {
    if (node.type !== "LogicalExpression" && node.type !== "UnaryExpression" && !(node.type === "BinaryExpression" && COMPARE[node.operator] !== undefined)) continue;
    if (done.some(([s, e]) => node.range[0] >= s && node.range[1] <= e)) continue;
    const r = fold(node);
    if (r.node === node) continue;
    let text;
    if (r.node !== undefined) text = `(${source.slice(r.node.range[0], r.node.range[1])})`;
    else if (typeof r.value === "number") continue;
    else text = r.value === null ? "nil" : String(r.value);
    done.push(node.range);
    edit(node.range[0], node.range[1], text);
  }
}

/**
 * `do (function() <body> end)() end`, a module's block the flattening made a function for its locals: the
 * plain block again, when the body has no return (and no `...`) of its own. Left to the limit check.
 */
function unwrapBlocks(chunk, source) {
  const out = [];
  for (const node of nodesUnder(chunk)) {
    if (node.type !== "DoStatement" || node.body.length !== 1 || node.body[0].type !== "CallStatement") continue;
    const call = node.body[0].expression;
    if (call.type !== "CallExpression" || call.arguments.length !== 0 || call.base.type !== "FunctionDeclaration") continue;
    const fn = call.base;
    if (fn.parameters.length !== 0 || fn.body.length === 0 || ownStatements(fn, new Set(["ReturnStatement"])).length > 0) continue;
    if ([...nodesUnder({ type: "Body", body: fn.body })].some((n) => n.type === "VarargLiteral" && fnOf(n) === fn)) continue;
    const text = source.slice(fn.body[0].range[0], fn.body[fn.body.length - 1].range[1]);
    out.push({ key: `unwrap:${text.length}:${text.slice(0, 200)}`, edits: [{ start: node.range[0], end: node.range[1], text: `do\n${text}\nend` }] });
  }
  return out;
}

/** A Lua string literal for the bytes of s (latin1 characters): `"…"` with \\, \", CR, LF, TAB and other control bytes escaped. */
function quoteLua(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) out += "\\\\";
    else if (c === 34) out += '\\"';
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c < 32 || c === 127) out += "\\" + String(c).padStart(3, "0");
    else out += s[i];
  }
  return out + '"';
}

/** Adjacent string literals of a concatenation (`"a" .. "b" .. x`, as inlining leaves them) as one literal. */
function mergeStringConcats(chunk, source, edit) {
  for (const node of nodesUnder(chunk)) {
    // the head of a chain: a `..` that is not the right operand of another
    if (node.type !== "BinaryExpression" || node.operator !== ".." || (node.parent?.type === "BinaryExpression" && node.parent.operator === ".." && node.parent.right === node)) continue;
    const operands = [];
    for (let e = node; ; e = e.right) {
      if (e.type === "BinaryExpression" && e.operator === ".." && e !== node && source[e.range[0] - 1] === "(") {
        operands.push(e);
        break;
      }
      if (e.type !== "BinaryExpression" || e.operator !== "..") {
        operands.push(e);
        break;
      }
      operands.push(e.left);
    }
    const runs = [];
    for (let i = 0; i < operands.length; i++) {
      // two literals joined by a bare `..` (no parenthesis between)
      const joined = (k) => operands[k].type === "StringLiteral" && operands[k + 1]?.type === "StringLiteral" && /^\s*\.\.\s*$/.test(source.slice(operands[k].range[1], operands[k + 1].range[0]));
      if (!joined(i)) continue;
      let j = i;
      while (joined(j)) j++;
      runs.push([i, j]);
      i = j;
    }
    if (runs.length === 0) continue;
    for (const [i, j] of runs) {
      const value = operands.slice(i, j + 1).map((o) => o.value).join("");
      edit(operands[i].range[0], operands[j].range[1], quoteLua(value));
    }
  }
}

/**
 * TSTL's temporary for a conditional: `local t; if c then t = a else t = b end` then `return t` or
 * `local x = t` (t read nowhere else): `if c then return a else return b end`, `local x; if c then x = a else x = b end`.
 */
function dropConditionalTemps(chunk, source, tryEdits) {
  const text = (n) => source.slice(n.range[0], n.range[1]);
  for (const node of nodesUnder(chunk)) {
    if (!Array.isArray(node.body)) continue;
    const body = node.body;
    for (let i = 0; i + 2 < body.length; i++) {
      const [decl, branch, use] = [body[i], body[i + 1], body[i + 2]];
      if (decl.type !== "LocalStatement" || decl.variables.length !== 1 || decl.init.length !== 0 || branch.type !== "IfStatement" || branch.clauses.length !== 2) continue;
      const t = decl.variables[0].decl;
      const [yes, no] = branch.clauses;
      const sets = (clause) => clause.body.length === 1 && clause.body[0].type === "AssignmentStatement" && clause.body[0].variables.length === 1 &&
        clause.body[0].init.length === 1 && clause.body[0].variables[0].type === "Identifier" && clause.body[0].variables[0].decl === t;
      if (no.type !== "ElseClause" || !sets(yes) || !sets(no) || t.writes.length !== 2 || t.refs.length !== 1) continue;
      const [a, b] = [yes.body[0].init[0], no.body[0].init[0]];
      const cond = text(yes.condition);
      if (use.type === "ReturnStatement" && use.arguments.length === 1 && use.arguments[0] === t.refs[0]) {
        tryEdits([{ start: decl.range[0], end: use.range[1], text: `if ${cond} then\nreturn ${text(a)}\nelse\nreturn ${text(b)}\nend` }]);
      } else if (use.type === "LocalStatement" && use.variables.length === 1 && use.init.length === 1 && use.init[0] === t.refs[0]) {
        const x = use.variables[0].name;
        if ([...nodesUnder(branch)].some((n) => n.type === "Identifier" && n.name === x)) continue;
        tryEdits([{ start: decl.range[0], end: use.range[1], text: `local ${x}\nif ${cond} then\n${x} = ${text(a)}\nelse\n${x} = ${text(b)}\nend` }]);
      }
    }
  }
}

/**
 * Trailing nil arguments of a call to a local that only ever holds Lua functions without `...`
 * (`go(8, nil)`, `status(nil)`): a missing parameter is nil already.
 */
function dropTrailingNils(chunk, source, tryEdits) {
  const plain = (fn) => fn.type === "FunctionDeclaration" && !fn.parameters.some((p) => p.type !== "Identifier");
  for (const node of nodesUnder(chunk)) {
    if (node.type !== "CallExpression" || node.base.type !== "Identifier" || node.arguments.length === 0) continue;
    const d = node.base.decl;
    if (d === null || d === undefined || node.arguments[node.arguments.length - 1].type !== "NilLiteral") continue;
    // `local function f` (no writes), or `local f` set only by `function f(...)` statements
    const localFunction = d.fnNode;
    const ok = localFunction !== undefined ? d.writes.length === 0 && plain(localFunction) : d.writes.length > 0 && d.writes.every((w) => plain(w.parent) && w.parent.identifier === w);
    if (!ok) continue;
    let keep = node.arguments.length;
    while (keep > 0 && node.arguments[keep - 1].type === "NilLiteral") keep--;
    const start = keep > 0 ? node.arguments[keep - 1].range[1] : source.indexOf("(", node.base.range[1]) + 1;
    tryEdits([{ start, end: node.arguments[node.arguments.length - 1].range[1], text: "" }]);
  }
}

/** The arithmetic `e + 0`, `0 + e`, `e - 0` where e is surely a number (a length or arithmetic): e. */
function foldZeroTerms(chunk, source, edit) {
  const isNumber = (e) => (e.type === "UnaryExpression" && e.operator === "#") || (e.type === "BinaryExpression" && ["+", "-", "*", "/", "%"].includes(e.operator));
  const isZero = (e) => e.type === "NumericLiteral" && e.value === 0 && /^0+$/.test(e.raw);
  for (const node of nodesUnder(chunk)) {
    if (node.type !== "BinaryExpression" || (node.operator !== "+" && node.operator !== "-")) continue;
    let keep;
    if (isZero(node.right) && isNumber(node.left)) keep = node.left;
    else if (node.operator === "+" && isZero(node.left) && isNumber(node.right)) keep = node.right;
    if (keep === undefined) continue;
    // the operand binds at least as tightly as anything below a comparison, a concatenation, and, or
    const p = node.parent;
    // between ( and ): a parenthesized expression or a call's sole argument
    const enclosed = /\(\s*$/.test(source.slice(Math.max(0, node.range[0] - 8), node.range[0])) && /^\s*\)/.test(source.slice(node.range[1], node.range[1] + 8));
    const bare = enclosed || ["LocalStatement", "AssignmentStatement", "ReturnStatement", "LogicalExpression"].includes(p.type) ||
      (p.type === "CallExpression" && p.base !== node) || (p.type === "BinaryExpression" && ["==", "~=", "<", "<=", ">", ">=", ".."].includes(p.operator));
    const text = source.slice(keep.range[0], keep.range[1]);
    edit(node.range[0], node.range[1], bare ? text : `(${text})`);
  }
}

/**
 * Simplifies a flattened chunk where the result is surely the same: literal-returning functions inlined,
 * zero terms dropped. Removes locals and upvalues, never adds any.
 * @param {string} source
 * @returns {string}
 */
export function simplifyLua(source, fits = () => true, measure = undefined) {
  const kept = simplifyRounds(source, fits, measure, false);
  if (measure === undefined) return fieldsToSlots(kept);
  // the greedy rounds go other ways when a module's forward-declared functions (`local f` … `function f`)
  // may move too: the smaller of both
  const moved = simplifyRounds(source, fits, measure, true);
  const sum = (lua) => measure(lua).reduce((a, b) => a + b);
  return fieldsToSlots(sum(moved) < sum(kept) ? moved : kept);
}

/** Heap bytes of a table's parts on NodeMCU 5.1 (sim/nodemcu/heap.lua): an array slot 16, a hash node 32, each part a power of two. */
const tableParts = (slots, nodes) => 16 * pow2(slots) + 32 * pow2(nodes);
const pow2 = (n) => (n === 0 ? 0 : 2 ** Math.ceil(Math.log2(n)));
/**
 * A field named by number instead of name, weighed in heap bytes per use: each function naming it holds a
 * number constant (5.3's bytecode: 9 bytes against 3 for a short name) and the source a byte more. A table
 * goes part array only for a large heap saving: the budgets hold bytecode and source bytes too.
 */
const SLOT_REF_COST = 28;

/**
 * A table that never leaves the chunk (`local t = {}`, never assigned, only ever indexed `t.name`: the
 * fields table the flattening keeps) with some fields indexed by the numbers 1, 2, … instead, where that
 * makes the table smaller: those sit in its array part, 16 bytes a slot on NodeMCU 5.1 against a 32-byte
 * hash node, and each part is a power of two (22 fields: 32 nodes, or 16 nodes and 8 slots). The numbers
 * go to fields only ever set to a function, the fewest read first (each read costs a number constant).
 */
function fieldsToSlots(source) {
  const chunk = luaparse.parse(source, PARSE_OPTIONS);
  bind(chunk);
  const edits = [];
  for (const node of nodesUnder(chunk)) {
    if (node.type !== "LocalStatement" || node.variables.length !== 1 || node.init.length !== 1) continue;
    const init = node.init[0];
    if (init.type !== "TableConstructorExpression" || init.fields.length !== 0) continue;
    const decl = node.variables[0].decl;
    if (decl.writes.length !== 0 || decl.refs.length === 0 || !decl.refs.every((id) => id.parent.type === "MemberExpression" && id.parent.base === id && id.parent.indexer === ".")) continue;
    const fields = new Map();
    for (const id of decl.refs) {
      const member = id.parent;
      const name = member.identifier.name;
      if (!fields.has(name)) fields.set(name, { members: [], defs: 0, functions: true });
      const f = fields.get(name);
      f.members.push(member);
      const outer = member.parent;
      if (outer.type === "FunctionDeclaration" && outer.identifier === member) f.defs++;
      else if (outer.type === "AssignmentStatement" && outer.variables.includes(member)) {
        f.defs++;
        if (outer.variables.length !== 1 || outer.init.length !== 1 || outer.init[0].type !== "FunctionDeclaration") f.functions = false;
      }
    }
    // set once, to a function, where the chunk runs straight (not in a branch, loop or function but a
    // module's block made a function called at once: `do (function() … end)() end`)
    const straight = (m) => {
      for (let n = m.parent.parent; n !== undefined && n.type !== "Chunk"; n = n.parent) {
        if (n.type === "FunctionDeclaration" && n.parent.type === "CallExpression" && n.parent.base === n && n.parent.parent.type === "CallStatement") n = n.parent.parent;
        else if (n.type !== "DoStatement") return false;
      }
      return true;
    };
    const candidates = [...fields.values()].filter((f) => f.functions && f.defs === 1 && f.members.every((m) => !(m.parent.type === "FunctionDeclaration" && m.parent.identifier === m) || straight(m)))
      .sort((a, b) => a.members.length - b.members.length);
    let best = { cost: tableParts(0, fields.size), count: 0 };
    let refs = 0;
    candidates.forEach((f, i) => {
      refs += f.members.length;
      const cost = tableParts(i + 1, fields.size - i - 1) + SLOT_REF_COST * refs;
      if (cost < best.cost) best = { cost, count: i + 1 };
    });
    candidates.slice(0, best.count).forEach((f, i) => {
      const slot = `${decl.name}[${i + 1}]`;
      for (const member of f.members) {
        const outer = member.parent;
        if (outer.type === "FunctionDeclaration" && outer.identifier === member) edits.push({ start: outer.range[0], end: member.range[1], text: `${slot} = function` });
        else edits.push({ start: member.range[0], end: member.range[1], text: slot });
      }
    });
  }
  return edits.length === 0 ? source : applyEdits(source, 0, source.length, edits);
}

function simplifyRounds(source, fits, measure, hoistFunctions) {
  const banned = new Set();
  const splitBanned = new Set();
  for (let round = 0; round < 200; round++) {
    const chunk = luaparse.parse(source, PARSE_OPTIONS);
    // the names in scope at each call statement
    const scopesAt = new Map();
    bind(chunk, (node, scopes) => {
      const call = node.type === "CallStatement" ? node.expression : node.type === "LocalStatement" || node.type === "AssignmentStatement" ? node.init[0] : node.type === "ReturnStatement" ? node.arguments[0] : undefined;
      if (call?.type === "CallExpression" && (call.base.type === "Identifier" || call.base.type === "MemberExpression")) scopesAt.set(node, scopes.map((m) => new Map(m)));
    });
    const first = editSession(source);
    inlineConstantFunctions(chunk, source, first.edit, first.removeName, first.tryEdits);
    foldZeroTerms(chunk, source, first.edit);
    inlineConstantLocals(chunk, source, first.tryEdits);
    foldConditions(chunk, source, first.edit);
    mergeStringConcats(chunk, source, first.edit);
    dropConditionalTemps(chunk, source, first.tryEdits);
    dropTrailingNils(chunk, source, first.tryEdits);
    if (first.count() > 0) {
      source = first.result();
      continue;
    }
    // functions called once, inlined where the result still fits (locals, upvalues); all, else the first that fits
    const inlined = inlineCalledOnce(chunk, source, scopesAt, hoistFunctions);
    const candidates = [...inlined, ...unwrapBlocks(chunk, source)].filter((c) => !banned.has(c.key));
    const build = (list) => {
      const session = editSession(source);
      for (const c of list) {
        if (c.declaredBy !== undefined && !session.free(c.declaredBy)) continue;
        if (session.tryEdits(c.edits) && c.declaredBy !== undefined) session.removeName(c.declaredBy, c.decl);
      }
      return session.result();
    };
    if (candidates.length > 0) {
      const all = build(candidates);
      if (fits(all) === true) {
        source = all;
        continue;
      }
      const one = candidates.find((c) => fits(build([c])) === true || (banned.add(c.key), false));
      if (one !== undefined) {
        source = build([one]);
        continue;
      }
    }
    // none fits as it is: with the tail of a block that runs once made a function of its own where the
    // locals overflow (splitToFit), taken when smaller on every measure (a prototype more, functions less)
    if (measure === undefined) return source;
    const before = measure(source);
    const left = inlined.filter((c) => !splitBanned.has(c.key));
    if (left.length === 0) return source;
    // as many of them as still fit together once split (one split pays for several): the smallest of the
    // growing group that is smaller than the source on every measure
    let split;
    let best = before;
    const group = [];
    for (const c of left) {
      const lua = splitToFit(build([...group, c]), fits);
      if (lua === undefined) continue;
      group.push(c);
      const sizes = measure(lua);
      if (sizes.every((n, i) => n < before[i]) && sizes.reduce((a, b) => a + b) < best.reduce((a, b) => a + b)) [split, best] = [lua, sizes];
    }
    if (split === undefined) {
      for (const c of left) splitBanned.add(c.key);
      return source;
    }
    source = split;
    // the room made may let candidates refused before fit now
    banned.clear();
  }
  return source;
}

/** The function of `(function() … end)()` called at once as a statement or returned; undefined otherwise. */
function calledAtOnce(stmt) {
  const call = stmt.type === "CallStatement" ? stmt.expression : stmt.type === "ReturnStatement" && stmt.arguments.length === 1 ? stmt.arguments[0] : undefined;
  if (call?.type !== "CallExpression" || call.arguments.length !== 0 || call.base.type !== "FunctionDeclaration" || call.base.parameters.length !== 0) return undefined;
  return call.base;
}

/** The locals a statement declares in its block. */
function declaredBy(stmt) {
  if (stmt.type === "LocalStatement") return stmt.variables.length;
  return stmt.type === "FunctionDeclaration" && stmt.isLocal ? 1 : 0;
}

/**
 * The source fitted to fits() by splitting: while a function that runs once (the main chunk, a function
 * called at once) has too many active locals, the tail of its block where they overflow, from as many of
 * that block's declarations back as the count is over, becomes a function called at once
 * (`do (function() <tail> end)() end`, or `return (function() <tail> end)()` for a tail ending in a return):
 * its locals are that function's, the ones before it its upvalues. The same where the tail has no return
 * before its end, no `...` and no `break` of its own. Undefined when that does not make it fit.
 */
function splitToFit(source, fits) {
  for (let n = 0; n < 8; n++) {
    const verdict = fits(source);
    if (verdict === true) return source;
    if (typeof verdict !== "object" || verdict.upvalues || !(verdict.over > 0)) return undefined;
    source = splitTail(source, verdict.line, verdict.over);
    if (source === undefined) return undefined;
  }
  return undefined;
}

function splitTail(source, line, over) {
  const chunk = luaparse.parse(source, PARSE_OPTIONS);
  bind(chunk);
  const starts = [0];
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
  const lineOf = (pos) => {
    let [lo, hi] = [0, starts.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const within = (n) => lineOf(n.range[0]) <= line && line <= lineOf(n.range[1] - 1);
  // down through the blocks that run straight: `do` blocks and functions called at once
  let body = chunk.body;
  let j;
  for (;;) {
    j = body.findIndex(within);
    if (j < 0) return undefined;
    const inner = body[j].type === "DoStatement" ? body[j] : calledAtOnce(body[j]);
    if (inner === undefined || !inner.body.some(within)) break;
    body = inner.body;
  }
  // locals over in a function that runs each time it is called: not for a split
  const inside = (n) => n.type === "FunctionDeclaration" && lineOf(n.range[0]) < line && line < lineOf(n.range[1] - 1);
  if ([...nodesUnder(body[j])].some(inside)) return undefined;
  let k = j;
  let moved = declaredBy(body[j]);
  while (moved < over && k > 0) moved += declaredBy(body[--k]);
  if (moved === 0) return undefined;
  const tail = body.slice(k);
  const fn = fnOf(tail[0]);
  const last = tail[tail.length - 1];
  for (const s of tail) {
    for (const n of nodesUnder(s)) {
      if ((n.type === "ReturnStatement" && n !== last) || n.type === "VarargLiteral" || n.type === "BreakStatement") {
        if (fnOf(n) !== fn) continue;
        if (n.type === "BreakStatement" && loopBetween(n, fn)) continue;
        return undefined;
      }
    }
  }
  const text = source.slice(tail[0].range[0], last.range[1]);
  const wrapped = last.type === "ReturnStatement" ? `return (function()\n${text}\nend)()` : `do (function()\n${text}\nend)() end`;
  return source.slice(0, tail[0].range[0]) + wrapped + source.slice(last.range[1]);
}

/** Edits of one source: tryEdits takes all of a list or none (none when one overlaps an edit taken); removeName drops a name of a `local a, b` list. */
function editSession(source) {
  const edits = [];
  const taken = [];
  const dropped = new Map();
  const overlaps = (start, end) => taken.some(([s, e]) => start < e && s < end) || [...dropped.keys()].some((d) => start < d.range[1] && d.range[0] < end);
  const tryEdits = (list) => {
    if (list.some(({ start, end }) => overlaps(start, end))) return false;
    for (const e of list) {
      taken.push([e.start, e.end]);
      edits.push(e);
    }
    return true;
  };
  return {
    tryEdits,
    edit: (start, end, text) => tryEdits([{ start, end, text }]),
    /** True when names of stmt may be dropped: no edit taken touches it. */
    free: (stmt) => dropped.has(stmt) || !taken.some(([s, e]) => stmt.range[0] < e && s < stmt.range[1]),
    /** False (and nothing dropped) where an edit taken touches the statement. */
    removeName(stmt, decl) {
      if (!dropped.has(stmt) && taken.some(([s, e]) => stmt.range[0] < e && s < stmt.range[1])) return false;
      if (!dropped.has(stmt)) dropped.set(stmt, new Set());
      dropped.get(stmt).add(decl);
      return true;
    },
    count: () => edits.length,
    result() {
      for (const [stmt, decls] of dropped) {
        const names = stmt.variables.filter((id) => !decls.has(id.decl)).map((id) => id.name);
        edits.push({ start: stmt.range[0], end: stmt.range[1], text: names.length > 0 ? `local ${names.join(", ")}` : "" });
      }
      return edits.length === 0 ? source : applyEdits(source, 0, source.length, edits);
    },
  };
}
