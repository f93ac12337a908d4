// Minimal scope analysis for emitted ES2015+ JavaScript (an acorn AST): which declaration each
// identifier reference resolves to, and which function's statements execute it directly.
// Enough for Espruino's "no hoisting" checks (espruino.md §1); not a general-purpose resolver.

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);
const NON_CHILD_KEYS = new Set(["parent", "loc", "range"]);

export function isFunctionNode(node) {
  return FUNCTION_TYPES.has(node.type);
}

/** Child nodes in source order, with the key they hang from. */
export function* childrenOf(node) {
  for (const key of Object.keys(node)) {
    if (NON_CHILD_KEYS.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) yield { child: item, key };
    } else if (isNode(value)) {
      yield { child: value, key };
    }
  }
}

function isNode(value) {
  return value !== null && typeof value === "object" && typeof value.type === "string";
}

/** Sets `parent` on every node. */
export function linkParents(root) {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    for (const { child } of childrenOf(node)) {
      child.parent = node;
      stack.push(child);
    }
  }
}

/** Calls `visit(node)` for every node, parents before children, in source order. */
export function walk(root, visit) {
  visit(root);
  for (const { child } of childrenOf(root)) walk(child, visit);
}

function isImmediatelyInvoked(fn) {
  const parent = fn.parent;
  return parent !== undefined && (parent.type === "CallExpression" || parent.type === "NewExpression") && parent.callee === fn;
}

/**
 * The code unit whose run executes `node` directly: the nearest enclosing function (IIFEs are
 * transparent: they run in place), a class instance-field initializer (runs at construction), or the Program.
 */
export function executionOwner(node) {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (isFunctionNode(current) && !isImmediatelyInvoked(current)) return current;
    if (current.type === "PropertyDefinition" && !current.static && current.value !== null && isInside(node, current.value)) return current;
    if (current.type === "Program") return current;
  }
  return undefined;
}

// A binding's code unit, matching executionOwner(): an IIFE's statements run as part of its caller.
function codeUnitOf(functionScopeNode) {
  return isFunctionNode(functionScopeNode) && isImmediatelyInvoked(functionScopeNode) ? executionOwner(functionScopeNode) : functionScopeNode;
}

function isInside(node, container) {
  return node.start >= container.start && node.end <= container.end;
}

class Scope {
  constructor(node, parent, isFunctionScope) {
    this.node = node;
    this.parent = parent;
    this.isFunctionScope = isFunctionScope;
    this.bindings = new Map();
  }

  functionScope() {
    let scope = this;
    while (!scope.isFunctionScope) scope = scope.parent;
    return scope;
  }

  lookup(name) {
    for (let scope = this; scope !== undefined; scope = scope.parent) {
      const binding = scope.bindings.get(name);
      if (binding !== undefined) return binding;
    }
    return undefined;
  }
}

/** Identifiers declared by a binding pattern (skips default values and computed keys). */
function patternIdentifiers(pattern, out = []) {
  switch (pattern.type) {
    case "Identifier": out.push(pattern); break;
    case "AssignmentPattern": patternIdentifiers(pattern.left, out); break;
    case "RestElement": patternIdentifiers(pattern.argument, out); break;
    case "ArrayPattern": for (const element of pattern.elements) if (element) patternIdentifiers(element, out); break;
    case "ObjectPattern":
      for (const property of pattern.properties) patternIdentifiers(property.type === "RestElement" ? property : property.value, out);
      break;
  }
  return out;
}

/** The nodes whose `body`/`consequent` arrays are this scope's own statement lists. */
function statementContainers(scopeNode) {
  switch (scopeNode.type) {
    case "Program": case "BlockStatement": case "StaticBlock": return [scopeNode];
    case "SwitchStatement": return scopeNode.cases;
    case "CatchClause": return [scopeNode.body];
    default: return isFunctionNode(scopeNode) && scopeNode.body.type === "BlockStatement" ? [scopeNode.body] : [];
  }
}

/**
 * Start offset of the statement in `scope`'s own statement lists that declares `node`; -1 for
 * declarations in a head (parameters, catch parameter, for-loop head), which precede the body.
 */
function declaringStatementStart(scope, node) {
  const containers = statementContainers(scope.node);
  for (let current = node; current.parent !== undefined && current !== scope.node; current = current.parent) {
    if (containers.includes(current.parent)) return current.start;
  }
  return -1;
}

function declare(scope, identifier, kind, declaration) {
  if (scope.bindings.has(identifier.name)) return; // var re-declarations and duplicate functions: first wins
  scope.bindings.set(identifier.name, {
    name: identifier.name,
    kind,
    identifier,
    declaration,
    scope,
    owner: codeUnitOf(scope.functionScope().node),
    statementStart: kind === "param" || kind === "catch" || kind === "self" ? -1 : declaringStatementStart(scope, identifier),
  });
}

function createsBlockScope(node) {
  switch (node.type) {
    case "BlockStatement": return !isFunctionNode(node.parent) && node.parent.type !== "CatchClause";
    case "ForStatement": case "ForInStatement": case "ForOfStatement":
    case "SwitchStatement": case "CatchClause": case "StaticBlock":
      return true;
    case "ClassExpression": return node.id !== null;
    default: return false;
  }
}

function declareAll(root) {
  const scopeOf = new Map();
  const visit = (node, scope) => {
    let inner = scope;
    if (node.type === "Program" || isFunctionNode(node)) {
      inner = new Scope(node, scope, true);
      if (node.type === "FunctionExpression" && node.id) declare(inner, node.id, "self", node);
      for (const param of node.params ?? []) for (const id of patternIdentifiers(param)) declare(inner, id, "param", node);
    } else if (createsBlockScope(node)) {
      inner = new Scope(node, scope, false);
      if (node.type === "CatchClause" && node.param) for (const id of patternIdentifiers(node.param)) declare(inner, id, "catch", node);
      if (node.type === "ClassExpression") declare(inner, node.id, "self", node);
    }
    scopeOf.set(node, inner);

    if (node.type === "VariableDeclaration") {
      const target = node.kind === "var" ? scope.functionScope() : scope;
      for (const declarator of node.declarations) for (const id of patternIdentifiers(declarator.id)) declare(target, id, node.kind, declarator);
    } else if (node.type === "FunctionDeclaration" || node.type === "ClassDeclaration") {
      if (node.id) declare(scope, node.id, node.type === "FunctionDeclaration" ? "function" : "class", node);
    }
    for (const { child } of childrenOf(node)) visit(child, inner);
  };
  visit(root, undefined);
  return scopeOf;
}

/** Is this Identifier a name (property key, label, declaration) rather than a variable reference? */
function isNonReference(identifier) {
  const parent = identifier.parent;
  switch (parent.type) {
    case "MemberExpression": return parent.property === identifier && !parent.computed;
    case "Property": case "MethodDefinition": case "PropertyDefinition":
      return parent.key === identifier && !parent.computed && !(parent.shorthand && parent.value === identifier);
    case "LabeledStatement": case "BreakStatement": case "ContinueStatement": return true;
    case "MetaProperty": return true;
    default: return false;
  }
}

/**
 * @returns {{references: {identifier, binding}[], globals: {identifier}[]}} every variable
 * reference with the binding it resolves to, and the ones that resolve to no declaration.
 */
export function analyzeScopes(program) {
  linkParents(program);
  const scopeOf = declareAll(program);
  const references = [];
  const globals = [];
  walk(program, (node) => {
    if (node.type !== "Identifier" || isNonReference(node)) return;
    if (isDeclaration(node)) return;
    const binding = scopeOf.get(node).lookup(node.name);
    if (binding === undefined) globals.push({ identifier: node });
    else references.push({ identifier: node, binding });
  });
  return { references, globals };
}

// Declared names: declaration ids and identifiers of binding patterns (not their default values
// or computed keys, which are references).
function isDeclaration(identifier) {
  let child = identifier;
  for (let parent = identifier.parent; parent !== undefined; child = parent, parent = parent.parent) {
    if (parent.type === "AssignmentPattern" && parent.right === child) return false;
    if ((parent.type === "Property" || parent.type === "MemberExpression") && parent.computed && parent.key === child) return false;
    if (parent.type === "VariableDeclarator") return parent.id === child;
    if (isFunctionNode(parent)) return parent.params.includes(child) || parent.id === child;
    if (parent.type === "CatchClause") return parent.param === child;
    if (parent.type === "ClassDeclaration" || parent.type === "ClassExpression") return parent.id === child;
    if (!/Pattern$|^RestElement$|^Property$/.test(parent.type)) return false;
  }
  return false;
}
