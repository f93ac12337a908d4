import * as acorn from "acorn";
import { readFileSync } from "node:fs";
const code = readFileSync(process.argv[2], "utf8");
const ast = acorn.parse(code, { ecmaVersion: 2020 });
const out = [];
function walk(n, depth) {
  if (!n || typeof n.type !== "string") return;
  if ((n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression") && depth <= 1) {
    out.push([n.end - n.start, code.slice(n.start, n.start + 60)]);
  }
  for (const k of Object.keys(n)) { const v = n[k]; if (Array.isArray(v)) v.forEach((c) => walk(c, depth + (n.type.includes("Function") ? 1 : 0))); else if (v && typeof v.type === "string") walk(v, depth + (n.type.includes("Function") ? 1 : 0)); }
}
walk(ast, 0);
out.sort((a, b) => b[0] - a[0]);
for (const [s, t] of out.slice(0, 40)) console.log(String(s).padStart(5), t);
