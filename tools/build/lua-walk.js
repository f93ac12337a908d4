// One walker over a luaparse chunk (luaVersion 5.1) for the Lua build's passes (flatten-lua.js,
// minify-lua.js): visits statements and expressions in evaluation order and binds every name by Lua's
// scoping rules. What a pass records is up to its hooks:
//   declare(id, start, end)        a local, parameter or loop variable; returns its binding (kept in scope).
//                                  start/end: where the name is visible (from its declaring statement, or
//                                  just after `function` for parameters, to the end of its block).
//   declareSelf(fn, start, end)    (optional) the implicit `self` of a method `function a:b()`; its binding.
//   reference(id, binding, parent, write, depth)
//                                  a name read (write: assigned); binding null for a global; depth: the
//                                  index of the scope holding the binding.
//   node(node, parent)             (optional) before a statement, an expression (not a declared name), an
//                                  if clause or a table field is visited, with the node holding it.
//   statement(node, scopes)        (optional) before a statement is visited: the scopes in force (Maps).
//   enterFunction(fn, depth)       (optional) before a function's parameters; depth: their scope's index.
//   leaveFunction(fn)              (optional) after its body.
//   localFunction(fn, binding)     (optional) after the name of a `local function` is declared.

/**
 * Walks chunk with the given hooks; `who` names the caller in errors on node types it does not know.
 * @param {object} chunk luaparse Chunk (ranges on)
 * @param {number} sourceLength the end of the chunk's own block
 */
export function walkLua(chunk, hooks, sourceLength, who) {
  const scopes = [];
  const node = hooks.node ?? (() => {});

  function lookup(name) {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const b = scopes[i].get(name);
      if (b !== undefined) return { binding: b, depth: i };
    }
    return { binding: null, depth: -1 };
  }
  function declare(id, start, end) {
    const b = hooks.declare(id, start, end);
    scopes[scopes.length - 1].set(id.name, b);
    return b;
  }
  function reference(id, parent, write) {
    const { binding, depth } = lookup(id.name);
    hooks.reference(id, binding, parent, write, depth);
  }
  function block(statements, parent, end, extra) {
    scopes.push(new Map());
    for (const s of statements) statement(s, parent, end);
    if (extra !== undefined) expression(extra, parent);
    scopes.pop();
  }
  function func(fn, method) {
    // after `function` (a `local function`'s name is declared at fn.range[0])
    const start = fn.range[0] + 1;
    const end = fn.range[1];
    scopes.push(new Map());
    hooks.enterFunction?.(fn, scopes.length - 1);
    if (method && hooks.declareSelf !== undefined) scopes[scopes.length - 1].set("self", hooks.declareSelf(fn, start, end));
    for (const p of fn.parameters) if (p.type === "Identifier") declare(p, start, end);
    block(fn.body, fn, end);
    hooks.leaveFunction?.(fn);
    scopes.pop();
  }
  function statement(s, parent, end) {
    node(s, parent);
    hooks.statement?.(s, scopes);
    switch (s.type) {
      case "LocalStatement":
        s.init.forEach((e) => expression(e, s));
        for (const id of s.variables) declare(id, s.range[0], end);
        return;
      case "AssignmentStatement":
        for (const v of s.variables) {
          if (v.type === "Identifier") reference(v, s, true);
          else expression(v, s);
        }
        s.init.forEach((e) => expression(e, s));
        return;
      case "CallStatement":
        return expression(s.expression, s);
      case "FunctionDeclaration":
        if (s.isLocal) {
          // declared first: `hooks.localFunction?.(…)` skips its arguments when there is no hook
          const binding = declare(s.identifier, s.range[0], end);
          hooks.localFunction?.(s, binding);
          return func(s, false);
        }
        if (s.identifier !== null && s.identifier.type === "Identifier") reference(s.identifier, s, true);
        else if (s.identifier !== null) expression(s.identifier, s);
        return func(s, s.identifier !== null && s.identifier.type === "MemberExpression" && s.identifier.indexer === ":");
      case "ReturnStatement":
        return s.arguments.forEach((e) => expression(e, s));
      case "IfStatement":
        for (const clause of s.clauses) {
          node(clause, s);
          if (clause.condition !== undefined) expression(clause.condition, clause);
          block(clause.body, clause, s.range[1]);
        }
        return;
      case "WhileStatement":
        expression(s.condition, s);
        return block(s.body, s, s.range[1]);
      case "DoStatement":
        return block(s.body, s, s.range[1]);
      case "RepeatStatement":
        // the body's locals are visible in the `until` condition
        return block(s.body, s, s.range[1], s.condition);
      case "ForNumericStatement":
        expression(s.start, s);
        expression(s.end, s);
        if (s.step !== null) expression(s.step, s);
        scopes.push(new Map());
        declare(s.variable, s.range[0], s.range[1]);
        block(s.body, s, s.range[1]);
        scopes.pop();
        return;
      case "ForGenericStatement":
        s.iterators.forEach((e) => expression(e, s));
        scopes.push(new Map());
        for (const id of s.variables) declare(id, s.range[0], s.range[1]);
        block(s.body, s, s.range[1]);
        scopes.pop();
        return;
      case "BreakStatement":
        return;
      default:
        // goto/labels are Lua 5.2+ and rejected by the 5.1 parser already
        throw new Error(`${who}: unsupported statement ${s.type}`);
    }
  }
  function expression(e, parent) {
    node(e, parent);
    switch (e.type) {
      case "Identifier":
        return reference(e, parent, false);
      case "StringLiteral":
      case "NumericLiteral":
      case "BooleanLiteral":
      case "NilLiteral":
      case "VarargLiteral":
        return;
      case "FunctionDeclaration":
        return func(e, false);
      case "TableConstructorExpression":
        for (const field of e.fields) {
          node(field, e);
          if (field.type === "TableKey") expression(field.key, field);
          expression(field.value, field);
        }
        return;
      case "BinaryExpression":
      case "LogicalExpression":
        expression(e.left, e);
        return expression(e.right, e);
      case "UnaryExpression":
        return expression(e.argument, e);
      case "MemberExpression":
        return expression(e.base, e);
      case "IndexExpression":
        expression(e.base, e);
        return expression(e.index, e);
      case "CallExpression":
        expression(e.base, e);
        return e.arguments.forEach((a) => expression(a, e));
      case "TableCallExpression":
        expression(e.base, e);
        return expression(e.arguments, e);
      case "StringCallExpression":
        expression(e.base, e);
        return expression(e.argument, e);
      default:
        throw new Error(`${who}: unsupported expression ${e.type}`);
    }
  }
  block(chunk.body, chunk, sourceLength);
}

/**
 * Every node under root (statements and expressions), depth first, in source order; the keys the passes
 * add to nodes (parent, decl, fn) and ranges are not followed.
 */
export function* nodesUnder(root) {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    yield node;
    for (const [key, value] of Object.entries(node)) {
      if (key === "parent" || key === "decl" || key === "fn" || key === "range") continue;
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) if (value[i] !== null && typeof value[i] === "object" && typeof value[i].type === "string") stack.push(value[i]);
      } else if (value !== null && typeof value === "object" && typeof value.type === "string") {
        stack.push(value);
      }
    }
  }
}
