// Random Lua 5.1 chunks with nested scopes, multi-name locals, loops and local functions, for
// checking the 50-locals counter against the real Lua 5.1 parser (see lua-locals.test.js).

function rng(seed) {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state % n;
  };
}

export function randomChunk(seed, statements = 60) {
  const pick = rng(seed);
  let counter = 0;
  const name = () => `v${counter++}`;
  const expr = () => ["1", "x", "{}", "f0()", "nil"][pick(5)];

  function block(depth, count) {
    const lines = [];
    for (let i = 0; i < count; i++) lines.push(statement(depth));
    return lines.join("\n");
  }

  function statement(depth) {
    const nested = depth < 4;
    switch (nested ? pick(12) : pick(4)) {
      case 0: case 1: {
        const names = Array.from({ length: 1 + pick(3) }, name).join(", ");
        return pick(3) === 0 ? `local ${names}` : `local ${names} = ${expr()}`;
      }
      case 2: return `x = ${expr()}`;
      case 3: return "f0(x)";
      case 4: return `do\n${block(depth + 1, 1 + pick(4))}\nend`;
      case 5: return `for ${name()} = 1, 2 do\n${block(depth + 1, pick(4))}\nend`;
      case 6: return `for ${name()}, ${name()} in pairs(x) do\n${block(depth + 1, pick(4))}\nend`;
      case 7: return `if x then\n${block(depth + 1, pick(3))}\nelse\n${block(depth + 1, pick(3))}\nend`;
      case 8: return `while x do\n${block(depth + 1, pick(3))}\nend`;
      case 9: return `repeat\n${block(depth + 1, pick(3))}\nuntil x`;
      case 10: return `local function ${name()}(a, b)\n${block(3, 1 + pick(3))}\nend`;
      default: return `local ${name()} = function() return x end`;
    }
  }

  return block(0, statements) + "\n";
}
