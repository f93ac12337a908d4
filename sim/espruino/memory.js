// The emulator's JsVar cost model. Genuine Espruino keeps every value in fixed-size JsVars; V8 does not,
// so usage here is an ESTIMATE built from the costs measured on the genuine interpreter (espruino.md §3):
//
//   usage = baseline                         53 vars (14-byte layout) / 56 (12-byte layout)
//         + built-ins warmed up              require("net") +5 (the only first use the emulator sees)
//         + resident code                    each loaded module and the app: its source length in string vars
//         + open sockets                     SOCKET_VARS each (connection object and its hidden fields)
//         + unsent socket data               string vars of what write() queued and the OS has not taken yet
//         + live data                        a walk of the values reachable from user globals and module exports
//
// Source text lives in JsVars (§3), and §5 shows a loaded minified module keeps about as many vars as its text
// needs (MQTT.js 6,139 B: 633 vars, tinyMQTT 1,783 B: 208, ws 3,871 B: 340 on the 14-byte layout). While a
// module or app is evaluated its text is held as well, so the peak is twice the text plus the 13-var
// floor an IIFE needs; that reproduces §5 (MQTT.js via addCached runs out of 1600 vars, ws.js does not).
// Values only reachable through closures or top-level let/const are invisible to the walk.

export const LOAD_FLOOR_VARS = 13; // peak free vars an IIFE needs (espruino.md §3)
export const SOCKET_VARS = 10; // assumption: Socket object, type, socket number, options, flags, listener names
export const WARM_UP_VARS = { net: 5 }; // espruino.md §3 "The first use of a built-in class"

const LAYOUTS = {
  // bytesPerUnit: chars in the first / each further string var, chars a property name holds inline,
  // baseline usage of a tiny script, largest int stored inside its var (espruino.md §3)
  14: { first: 9, next: 10, nameInline: 4, baseline: 53, inlineInt: 8191 },
  12: { first: 8, next: 8, nameInline: 4, baseline: 56, inlineInt: 1023 },
};

function layoutFor(bytesPerUnit) {
  return LAYOUTS[bytesPerUnit] ?? { first: bytesPerUnit - 5, next: bytesPerUnit - 4, nameInline: 4, baseline: 55, inlineInt: 1023 };
}

export function createMemoryModel(board) {
  const { budget, bytesPerUnit } = board.memory;
  const layout = layoutFor(bytesPerUnit);

  const stringVars = (length) => (length <= layout.first ? 1 : 1 + Math.ceil((length - layout.first) / layout.next));
  // ArrayBuffer contents are flat strings: one header var plus bytesPerUnit bytes per var (Uint8Array(64) = 8 / 9 vars)
  const flatVars = (bytes) => 1 + Math.ceil(bytes / bytesPerUnit);
  const nameVars = (name) => (name.length <= layout.nameInline ? 1 : 1 + Math.ceil((name.length - layout.nameInline) / layout.next));
  const inlineInt = (v) => typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= layout.inlineInt;

  /** Vars retained by `value` (E.getSizeOf-like); objects already in `seen` cost nothing again. */
  function valueVars(value, seen = new Set()) {
    switch (typeof value) {
      case "undefined": return 0;
      case "boolean": case "number": case "bigint": case "symbol": return 1;
      case "string": return stringVars(value.length);
      case "function": {
        if (seen.has(value)) return 0;
        seen.add(value);
        return 3; // closure (espruino.md §3 table)
      }
      default: break;
    }
    if (value === null) return 1;
    if (seen.has(value) || seen.size > 200_000) return 0;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      const buffer = value.buffer;
      if (seen.has(buffer)) return 1;
      seen.add(buffer);
      return 2 + flatVars(buffer.byteLength);
    }
    if (value instanceof ArrayBuffer || Object.prototype.toString.call(value) === "[object ArrayBuffer]") return 1 + flatVars(value.byteLength);
    let vars = 1;
    const proto = Object.getPrototypeOf(value);
    if (proto !== null && Object.getPrototypeOf(proto) !== null && !Array.isArray(value)) vars += 1; // __proto__ link of a class instance
    for (const key of Object.keys(value)) {
      let child;
      try {
        child = value[key];
      } catch {
        continue;
      }
      vars += Array.isArray(value) ? 1 : nameVars(key);
      if (!inlineInt(child)) vars += valueVars(child, seen);
    }
    return vars;
  }

  return {
    budget,
    bytesPerUnit,
    baseline: layout.baseline,
    stringVars,
    valueVars,
    /** Vars a loaded module or app keeps, and the peak while it is evaluated. */
    codeVars(source) {
      const resident = stringVars(source.length);
      return { resident, peak: 2 * resident + LOAD_FLOOR_VARS };
    },
  };
}
