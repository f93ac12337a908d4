// Use before declaration in emitted JavaScript. Espruino runs statements in order and hoists
// nothing (espruino.md §1): a function declaration, class, let/const/var only exists once its
// statement has run. Reports direct uses, and calls that reach such a use through the callee's body.

function isTypeofOperand(identifier) {
  return identifier.parent.type === "UnaryExpression" && identifier.parent.operator === "typeof";
}

function isCallee(identifier) {
  const parent = identifier.parent;
  return (parent.type === "CallExpression" || parent.type === "NewExpression") && parent.callee === identifier;
}

function isInside(node, container) {
  return node.start >= container.start && node.end <= container.end;
}

function isFunctionValue(node) {
  return node !== null && (node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression");
}

/** The code units that run when the binding is called or constructed. */
function unitsRunByCalling(binding) {
  const declaration = binding.declaration;
  if (binding.kind === "function") return [declaration];
  let classNode = binding.kind === "class" ? declaration : undefined;
  if (declaration.type === "VariableDeclarator" && declaration.id === binding.identifier) {
    if (isFunctionValue(declaration.init)) return [declaration.init];
    if (declaration.init?.type === "ClassExpression") classNode = declaration.init;
  }
  if (classNode === undefined) return [];
  const units = [];
  for (const member of classNode.body.body) {
    if (member.type === "MethodDefinition" && member.kind === "constructor") units.push(member.value);
    if (member.type === "PropertyDefinition" && !member.static && member.value !== null) units.push(member);
  }
  return units;
}

/**
 * @param {{identifier, binding}[]} references from analyzeScopes()
 * @param {(node) => object} executionOwner
 * @returns {{node, rule: string, message: string}[]}
 */
export function reportUseBeforeDeclaration(references, executionOwner) {
  const ownerOf = new Map(references.map((ref) => [ref, executionOwner(ref.identifier)]));
  const byUnit = new Map();
  for (const ref of references) {
    const unit = ownerOf.get(ref);
    if (!byUnit.has(unit)) byUnit.set(unit, []);
    byUnit.get(unit).push(ref);
  }

  // References to outer bindings that run when `binding` is called, following further calls.
  function reachedByCalling(binding, seen = new Set()) {
    if (seen.has(binding)) return [];
    seen.add(binding);
    const reached = [];
    for (const unit of unitsRunByCalling(binding)) {
      for (const ref of byUnit.get(unit) ?? []) {
        if (isInside(ref.binding.identifier, unit) || isTypeofOperand(ref.identifier)) continue;
        reached.push(ref);
        if (isCallee(ref.identifier)) reached.push(...reachedByCalling(ref.binding, seen));
      }
    }
    return reached;
  }

  const findings = [];
  for (const ref of references) {
    const { identifier, binding } = ref;
    const owner = ownerOf.get(ref);
    if (owner !== binding.owner || isTypeofOperand(identifier)) continue;
    if (binding.statementStart >= 0 && identifier.start < binding.statementStart) {
      findings.push({
        node: identifier,
        rule: "use-before-declaration",
        message: `\`${identifier.name}\` is used before its declaration on line ${binding.identifier.loc.start.line}: Espruino does not hoist (espruino.md §1); declare it first`,
      });
    } else if (isCallee(identifier)) {
      const reported = new Set();
      for (const reached of reachedByCalling(binding)) {
        const target = reached.binding;
        if (target.owner !== owner || target.statementStart < 0 || identifier.start >= target.statementStart) continue;
        if (reported.has(target)) continue;
        reported.add(target);
        findings.push({
          node: identifier,
          rule: "call-before-declaration",
          message: `calling \`${identifier.name}\` here uses \`${target.name}\` (line ${reached.identifier.loc.start.line}) before its declaration on line ${target.identifier.loc.start.line}: Espruino does not hoist (espruino.md §1); declare it first`,
        });
      }
    }
  }
  return findings;
}
