// Per-function peak of simultaneously active locals, from a Lua 5.1 `luac -l -l` listing.
// NodeMCU 5.1 fails to compile a function whose parser count `nactvar + n + 1` exceeds
// LUAI_MAXVARS = 50 (stock 5.1: 200), main chunk included (nodemcu.md §3).
//
// Locals are listed in registration order with 1-based [startpc, endpc]; scopes nest, so local j
// is still active when local k (j < k) is registered iff endpc_j > startpc_k. When endpc_j ==
// startpc_k it was closed just before k, unless k's own range is empty too (k declared where no
// instruction follows): then the listing can't tell, and j is counted (may overcount, never under).
// Hidden for-loop locals ("(for index)" …) are in the listing and count, as in the real parser.

function parseLocalLine(line) {
  const fields = line.split("\t");
  return { name: fields[2], start: Number(fields[3]), end: Number(fields[4]) };
}

/** Splits a listing into functions: {kind, firstLine, instructionLines, locals}. */
export function parseListing(text) {
  const functions = [];
  let current;
  let section;
  for (const line of text.split("\n")) {
    const header = /^(main|function) <[^:]*:(\d+),(\d+)> /.exec(line);
    if (header) {
      current = { kind: header[1], firstLine: Number(header[2]), instructionLines: [], locals: [] };
      functions.push(current);
      section = "code";
      continue;
    }
    if (current === undefined) continue;
    const table = /^(constants|locals|upvalues) \(\d+\)/.exec(line);
    if (table) {
      section = table[1];
      continue;
    }
    if (section === "code") {
      const instruction = /^\t(\d+)\t\[(\d+)\]/.exec(line);
      if (instruction) current.instructionLines[Number(instruction[1])] = Number(instruction[2]);
    } else if (section === "locals" && line.startsWith("\t")) {
      current.locals.push(parseLocalLine(line));
    }
  }
  return functions;
}

function activeWhenRegistered(earlier, later) {
  return earlier.end > later.start || (earlier.end === later.start && later.end === later.start);
}

/** Peak count of active locals and the local that reaches it first. */
export function peakActiveLocals(locals) {
  let peak = 0;
  let at;
  locals.forEach((local, k) => {
    let active = 1;
    for (let j = 0; j < k; j++) if (activeWhenRegistered(locals[j], local)) active++;
    if (active > peak) {
      peak = active;
      at = local;
    }
  });
  return { peak, at };
}

/** Source line of a 1-based pc, or of the nearest instruction before it. */
export function lineOfPc(fn, pc) {
  for (let p = pc; p > 0; p--) if (fn.instructionLines[p] !== undefined) return fn.instructionLines[p];
  return fn.firstLine;
}
