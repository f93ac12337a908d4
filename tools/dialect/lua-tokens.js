// A Lua 5.1/5.3 tokenizer, just enough to find names and numeric literals outside strings and
// comments (llex.c rules: long brackets [==[ ]==], `--` comments, escapes in quoted strings).

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

/** Level of a long bracket opening at `i` (`[[` → 0, `[==[` → 2), or -1. */
function longBracketLevel(source, i) {
  if (source[i] !== "[") return -1;
  let j = i + 1;
  while (source[j] === "=") j++;
  return source[j] === "[" ? j - i - 1 : -1;
}

/** @returns {{kind: "name"|"number"|"string"|"symbol", text: string, line: number}[]} */
export function tokenizeLua(source) {
  const tokens = [];
  let line = 1;
  let i = 0;
  const countLines = (text) => { for (const c of text) if (c === "\n") line++; };
  const skipLong = (start, level) => {
    const close = "]" + "=".repeat(level) + "]";
    const end = source.indexOf(close, start + level + 2);
    const stop = end === -1 ? source.length : end + close.length;
    countLines(source.slice(start, stop));
    return stop;
  };

  while (i < source.length) {
    const c = source[i];
    if (c === "\n") { line++; i++; continue; }
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v") { i++; continue; }
    if (c === "-" && source[i + 1] === "-") {
      const level = longBracketLevel(source, i + 2);
      if (level >= 0) i = skipLong(i + 2, level);
      else while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    const level = longBracketLevel(source, i);
    if (level >= 0) {
      const startLine = line;
      const stop = skipLong(i, level);
      tokens.push({ kind: "string", text: source.slice(i, stop), line: startLine });
      i = stop;
      continue;
    }
    if (c === "\"" || c === "'") {
      const startLine = line;
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== "\n") {
        if (source[j] === "\\") { if (source[j + 1] === "\n") line++; j++; }
        j++;
      }
      tokens.push({ kind: "string", text: source.slice(i, j + 1), line: startLine });
      i = j + 1;
      continue;
    }
    if (DIGIT.test(c) || (c === "." && DIGIT.test(source[i + 1] ?? ""))) {
      const j = numeralEnd(source, i);
      tokens.push({ kind: "number", text: source.slice(i, j), line });
      i = j;
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < source.length && NAME_CHAR.test(source[j])) j++;
      tokens.push({ kind: "name", text: source.slice(i, j), line });
      i = j;
      continue;
    }
    tokens.push({ kind: "symbol", text: c, line });
    i++;
  }
  return tokens;
}

// llex.c read_numeral: digits and dots, an exponent with optional sign (e/E, or p/P after 0x in
// 5.3), then any trailing name characters (which make it malformed, still one token).
function numeralEnd(source, i) {
  const hex = source[i] === "0" && (source[i + 1] === "x" || source[i + 1] === "X");
  const exponent = hex ? /[pP]/ : /[eE]/;
  const body = hex ? /[0-9a-fA-F.]/ : /[0-9.]/;
  let j = hex ? i + 2 : i;
  while (j < source.length && body.test(source[j])) j++;
  if (exponent.test(source[j] ?? "")) {
    j++;
    if (source[j] === "+" || source[j] === "-") j++;
  }
  while (j < source.length && NAME_CHAR.test(source[j])) j++;
  return j;
}

/** A numeric literal that is not an integer: has a fraction or an exponent. */
export function isFloatLiteral(text) {
  return /^0[xX]/.test(text) ? /[.pP]/.test(text) : /[.eE]/.test(text);
}
