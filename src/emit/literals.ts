// String-literal encoders for the languages emitted by the built-in formats and offered to templates.
// Each returns ASCII-only text, so output bytes never depend on an editor's or OS's encoding.

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

function assertString(helper: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new TypeError(`${helper} expects a string, got ${value === null ? "null" : typeof value}`);
  }
  return value;
}

/**
 * A TypeScript/JavaScript string literal. JSON.stringify is already a valid literal; we additionally
 * escape everything outside printable ASCII so U+2028/U+2029 (line terminators for pre-ES2019 parsers
 * and some tools) and non-ASCII text cannot change meaning or bytes anywhere.
 */
export function tsString(value: unknown): string {
  return JSON.stringify(assertString("tsString", value)).replace(/[^\x20-\x7e]/g, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/** JSON text of any value, ASCII-only (same escaping rule as tsString). */
export function json(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`json cannot encode ${typeof value}`);
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/**
 * A POSIX shell word that expands to exactly `value`: single quotes are fully literal in sh, and a
 * single quote itself is written as '\'' (close, escaped quote, reopen).
 */
export function shellQuote(value: unknown): string {
  const s = assertString("shellQuote", value);
  if (s.includes("\0")) throw new RangeError("shellQuote: a shell variable cannot hold a NUL character");
  return `'${s.replace(/'/g, "'\\''")}'`;
}

/** Iterates code points; reports lone surrogates so each encoder can decide what to do with them. */
function* codePoints(s: string): Generator<{ cp: number; lone: boolean }> {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        yield { cp: (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000, lone: false };
        i++;
        continue;
      }
    }
    yield { cp: c, lone: c >= 0xd800 && c <= 0xdfff };
  }
}

const YAML_SHORT: Readonly<Record<number, string>> = { 0: "\\0", 8: "\\b", 9: "\\t", 10: "\\n", 13: "\\r", 34: '\\"', 92: "\\\\" };

/** A YAML double-quoted scalar (one line, ASCII). YAML has no escape for a lone surrogate, so it is refused. */
export function yamlString(value: unknown): string {
  const s = assertString("yamlString", value);
  for (const { lone } of codePoints(s)) {
    if (lone) throw new RangeError("yamlString: a YAML string cannot hold a lone UTF-16 surrogate");
  }
  return doubleQuoted(s, YAML_SHORT);
}

/** `"..."` with `short` escapes, printable ASCII as is, and \\xXX / \\uXXXX / \\UXXXXXXXX for the rest (YAML and Python agree on these). */
function doubleQuoted(s: string, short: Readonly<Record<number, string>>): string {
  let out = '"';
  for (const { cp } of codePoints(s)) {
    const esc = short[cp];
    if (esc !== undefined) out += esc;
    else if (cp >= 0x20 && cp <= 0x7e) out += String.fromCharCode(cp);
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + '"';
}

const PY_SHORT: Readonly<Record<number, string>> = { 9: "\\t", 10: "\\n", 13: "\\r", 34: '\\"', 92: "\\\\" };

/** A Python 3 `str` literal (double-quoted, ASCII). Python strings may hold lone surrogates, so they are kept. */
export function pyString(value: unknown): string {
  return doubleQuoted(assertString("pyString", value), PY_SHORT);
}

/** Text safe inside a one-line `#` or `//` comment: no line breaks (incl. U+2028/9), no control characters. */
export function commentText(value: string): string {
  return value.replace(/[\x00-\x1f\x7f\u2028\u2029]/g, "?");
}

/**
 * A property name for an object literal. `"__proto__": v` would set the prototype instead of
 * defining a property, so that one name is written as a computed key.
 */
export function tsKey(value: unknown): string {
  const s = tsString(value);
  return value === "__proto__" ? `[${s}]` : s;
}
