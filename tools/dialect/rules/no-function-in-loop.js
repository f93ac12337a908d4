// Forbids any function lexically inside a loop: stricter than no-loop-func, which accepts
// `let` captures that TSTL and Espruino still share between iterations (dialect.md §1, §4).

const LOOPS = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);
const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

// Parts of a loop that are evaluated once, before the first iteration.
function isEvaluatedOnce(loop, child) {
  return (loop.type === "ForStatement" && child === loop.init) ||
    ((loop.type === "ForOfStatement" || loop.type === "ForInStatement") && child === loop.right);
}

function enclosingLoop(node) {
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (FUNCTIONS.has(parent.type)) return undefined; // the outer function is the one reported
    if (LOOPS.has(parent.type) && !isEvaluatedOnce(parent, child)) return parent;
  }
  return undefined;
}

export default {
  meta: {
    type: "problem",
    docs: { description: "Disallow functions (closures) inside loops" },
    schema: [],
    messages: {
      inLoop: "function inside a loop: Espruino and TSTL share one `let` binding across iterations and each closure allocates (dialect.md §1, §4); hoist it to module level",
    },
  },
  create(context) {
    function check(node) {
      if (enclosingLoop(node) !== undefined) context.report({ node, messageId: "inLoop" });
    }
    return { FunctionDeclaration: check, FunctionExpression: check, ArrowFunctionExpression: check };
  },
};
