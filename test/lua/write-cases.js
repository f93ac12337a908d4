// Writes the shared test data (fixtures and cases) as one Lua file, since Lua has no JSON library:
// `return { wire = {...}, client = {...} }` with byte strings as escaped Lua literals. Each wire case
// carries the events the parser reports (events.js parserEvents) and whether it needs MSG (or HMSG) parsing.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { clientScenarios, wireCases } from "../support/cases.js";
import { needsFull, needsSubs, parserEvents } from "../support/events.js";

/** An array whose nulls must stay positional nils: written as {n=<length>, ...} so Lua knows its length. */
class CountedArray {
  constructor(items) {
    this.items = items;
  }
}

/** A Lua string literal for a byte string: printable ASCII as is, everything else as \ddd. */
export function luaString(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) throw new Error(`char ${c} is not a byte in ${JSON.stringify(s.slice(0, 40))}`);
    out += c >= 32 && c < 127 && c !== 34 && c !== 92 ? s[i] : "\\" + String(c).padStart(3, "0");
  }
  return out + '"';
}

/** A Lua table constructor for JSON-like data; null becomes an absent field (nil). */
export function luaValue(v) {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "string") return luaString(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    // Non-integers (a sid of 1.5) must stay floats in Lua; integers stay integers.
    return Number.isInteger(v) ? String(v) : String(v);
  }
  if (typeof v === "boolean") return String(v);
  if (v instanceof CountedArray) return `{n=${v.items.length},` + v.items.map(luaValue).join(",") + "}";
  if (Array.isArray(v)) return "{" + v.map(luaValue).join(",") + "}";
  return "{" + Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => `[${luaString(k)}]=${luaValue(x)}`).join(",") + "}";
}

export function writeLuaCases(file) {
  const client = clientScenarios().map((sc) => ({ ...sc, steps: sc.steps.map((st) => new CountedArray(st)) }));
  const wire = wireCases().map((c) => ({ ...c, events: parserEvents(c.events), needsSubs: needsSubs(c.wire, c.events), needsFull: needsFull(c.wire, c.events) }));
  const data = { wire, client };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, "return " + luaValue(data) + "\n", "latin1");
  return file;
}
