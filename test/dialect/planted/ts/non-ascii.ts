// expect: dialect/ascii-strings x3
// Three findings (raw, escaped, template); \x7f is still ASCII.
export const ACCENT = "é";
export const BYTE = "\xff";
export const TEMPLATE = `caf\u00e9`;
export const PLAIN = "\x7f ok";
