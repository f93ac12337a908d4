// require("Storage") backing store: files are byte strings (one char per byte). Mirrors src/jswrap_storage.c:
// names of at most 28 chars, read() → undefined for a missing file, writeJSON() writes Espruino's compact
// JSON (alphanumeric field names unquoted, \xXX escapes: "you cannot parse the file with just JSON.parse",
// jswrap_storage_writeJSON) and readJSON() parses it liberally.

export const MAX_NAME = 28;

const BARE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function compactString(text) {
  let out = "\"";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) out += "\\\"";
    else if (c === 92) out += "\\\\";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c < 32 || (c >= 127 && c < 256)) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c >= 256) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += text[i];
  }
  return `${out}"`;
}

/** Espruino's compact JSON of a plain (host) value, as writeJSON stores it. */
export function compactJson(value) {
  if (value === null || typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "string") return compactString(value);
  if (Array.isArray(value)) return `[${value.map(compactJson).join(",")}]`;
  return `{${Object.entries(value).map(([k, v]) => `${BARE_KEY.test(k) ? k : compactString(k)}:${compactJson(v)}`).join(",")}}`;
}

/** Parses JSON that may have unquoted keys and \xXX escapes (jswrap_json_parse_liberal). Throws SyntaxError. */
export function parseLiberalJson(text) {
  let pos = 0;
  const fail = (what) => {
    throw new SyntaxError(`${what} at position ${pos} of Storage JSON`);
  };
  const blanks = () => {
    while (pos < text.length && " \t\r\n".includes(text[pos])) pos++;
  };
  const string = () => {
    const quote = text[pos++];
    let out = "";
    while (pos < text.length && text[pos] !== quote) {
      let ch = text[pos++];
      if (ch === "\\") {
        const e = text[pos++];
        const simple = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", 0: "\0" }[e];
        if (simple !== undefined) ch = simple;
        else if (e === "x") ch = String.fromCharCode(parseInt(text.substr(pos, 2), 16)), (pos += 2);
        else if (e === "u") ch = String.fromCharCode(parseInt(text.substr(pos, 4), 16)), (pos += 4);
        else ch = e;
      }
      out += ch;
    }
    if (text[pos++] !== quote) fail("unterminated string");
    return out;
  };
  const value = () => {
    blanks();
    const ch = text[pos];
    if (ch === "{") {
      pos++;
      const obj = {};
      blanks();
      if (text[pos] === "}") return pos++, obj;
      for (;;) {
        blanks();
        let key;
        if (text[pos] === "\"" || text[pos] === "'") key = string();
        else {
          const m = /^[A-Za-z0-9_$]+/.exec(text.slice(pos));
          if (!m) fail("expected a field name");
          key = m[0];
          pos += key.length;
        }
        blanks();
        if (text[pos++] !== ":") fail("expected ':'");
        obj[key] = value();
        blanks();
        const sep = text[pos++];
        if (sep === "}") return obj;
        if (sep !== ",") fail("expected ',' or '}'");
      }
    }
    if (ch === "[") {
      pos++;
      const arr = [];
      blanks();
      if (text[pos] === "]") return pos++, arr;
      for (;;) {
        arr.push(value());
        blanks();
        const sep = text[pos++];
        if (sep === "]") return arr;
        if (sep !== ",") fail("expected ',' or ']'");
      }
    }
    if (ch === "\"" || ch === "'") return string();
    const m = /^(true|false|null|undefined|NaN|-?Infinity|-?(?:0x[0-9a-fA-F]+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))/.exec(text.slice(pos));
    if (!m) fail("unexpected token");
    pos += m[0].length;
    return { true: true, false: false, null: null, undefined: undefined }[m[0]] ?? Number(m[0]);
  };
  const result = value();
  blanks();
  if (pos < text.length) fail("unexpected text after the value");
  return result;
}

/** The file store. `initial` maps names to byte strings. */
export function createStorage(initial = {}) {
  const files = new Map(Object.entries(initial).map(([name, data]) => [name, String(data)]));
  return {
    files,
    read: (name, offset = 0, length = 0) => {
      const data = files.get(name);
      if (data === undefined) return undefined;
      return length > 0 ? data.substr(offset, length) : data.substr(offset);
    },
    /** Writes a byte string; offset > 0 writes into an existing file, size creates a file of that length. */
    write: (name, data, offset = 0, size = 0) => {
      if (offset > 0 && files.has(name)) {
        const old = files.get(name);
        files.set(name, old.substr(0, offset) + data.substr(0, Math.max(0, old.length - offset)) + old.substr(offset + data.length));
      } else {
        files.set(name, size > data.length ? data + "\xff".repeat(size - data.length) : data);
      }
      return true;
    },
    erase: (name) => {
      files.delete(name);
    },
    list: () => [...files.keys()],
  };
}
