// Build profiles (README: profiles): which parts of the core a build keeps. Source regions between
// `//#if FLAG` and `//#endif` lines are emitted only when FLAG is on, in the JS and in the Lua alike.
export const PROFILES = {
  pub: { SUBS: false, FULL: false },
  pubsub: { SUBS: true, FULL: false },
  full: { SUBS: true, FULL: true },
};

export const PROFILE_NAMES = Object.keys(PROFILES);

/** The board apps and the smallest profile that serves each. */
export const APP_PROFILES = { metrics: "pubsub", probe: "full" };

/**
 * The text with the regions of flags that are off blanked (lines kept, so compiler messages keep their
 * line numbers). `//#if !FLAG` inverts; regions nest. Throws on an unknown flag or unbalanced markers.
 */
export function applyProfile(text, flags, file = "<source>") {
  const out = [];
  const stack = [];
  text.split("\n").forEach((line, i) => {
    const m = line.match(/^\s*\/\/#(if|endif)\b\s*(!?)(\w*)/);
    if (m && m[1] === "if") {
      if (!(m[3] in flags)) throw new Error(`${file}:${i + 1}: unknown profile flag "${m[3]}"`);
      stack.push(m[2] === "!" ? !flags[m[3]] : flags[m[3]]);
      out.push("");
    } else if (m && m[1] === "endif") {
      if (stack.length === 0) throw new Error(`${file}:${i + 1}: //#endif without //#if`);
      stack.pop();
      out.push("");
    } else {
      out.push(stack.every(Boolean) ? line : "");
    }
  });
  if (stack.length > 0) throw new Error(`${file}: //#if without //#endif`);
  return out.join("\n");
}
