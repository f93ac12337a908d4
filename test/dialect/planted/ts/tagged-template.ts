// expect: no-restricted-syntax "tagged template"
function tag(parts: TemplateStringsArray): string {
  return parts.join("");
}
export const s = tag`x`;
