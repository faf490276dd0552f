/**
 * Characters a file could use to drive the terminal that shows it, or to make
 * it show something other than its bytes (Trojan Source): C0 controls, DEL, C1
 * controls, the line and paragraph separators, and the bidi embeddings,
 * overrides, isolates and marks. Tab is not among them: code frames keep it
 * for its width.
 */
export function isUnsafeChar(c: number): boolean {
  if (c < 0x20) return c !== 9;
  if (c < 0x7f) return false;
  if (c <= 0x9f) return true;
  return c === 0x061c || c === 0x200e || c === 0x200f || c === 0x2028 || c === 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

const hex = (c: number, digits: number): string => c.toString(16).padStart(digits, "0");

/** How an unsafe character is shown: `\x1b` below U+0100, `\u202e` above. */
export function escapeChar(c: number): string {
  return c < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
}

function replaceUnsafe(s: string, keep: (c: number) => boolean, write: (c: number) => string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isUnsafeChar(c) || keep(c)) continue;
    out += s.slice(from, i) + write(c);
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** True when `s` holds a character `escapeControls` would escape. */
export function hasUnsafeChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isUnsafeChar(s.charCodeAt(i))) return true;
  return false;
}

/** `s` with every unsafe character escaped (`escapeChar`). */
export function escapeControls(s: string): string {
  return replaceUnsafe(s, () => false, escapeChar);
}

/**
 * JSON (or Python literal) text with every unsafe character written as the
 * `\uhhhh` escape, which means the same inside a string; line feeds are kept,
 * since outside strings they are layout.
 */
export function escapeControlsInJson(json: string): string {
  return replaceUnsafe(
    json,
    (c) => c === 10,
    (c) => `\\u${hex(c, 4)}`,
  );
}
