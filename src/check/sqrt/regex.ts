/**
 * Checks a SQRT `r"..."` pattern for the `bad-regex` lint.
 *
 * Patterns are evaluated by Python's `re` on the server, but people write and
 * test them with JavaScript tools; we flag patterns that JavaScript cannot
 * compile, constructs Python rejects, and constructs the two engines read
 * differently. Chosen set (each is a real, common divergence):
 *   - does not compile as a JavaScript RegExp (and is not one of the Python-only forms below)
 *   - `(?P<name>...)`, `(?P=name)`: Python named groups; JS spells them `(?<name>...)`, `\k<name>`
 *   - `\A`, `\Z`: Python anchors; JS reads them as the letters A and Z
 *   - `(?>...)` atomic groups and possessive quantifiers `*+ ++ ?+ }+` (Python 3.11+ only; JS rejects them)
 *   - inline flags `(?i)`, `(?aiLmsux)`: JS has none; Python rejects them anywhere but the start (3.11+)
 *   - `(?#...)` comments, `(?(1)...)` conditionals: Python only
 *   - `[[:alpha:]]`: POSIX classes; neither engine supports them, both read a different character set
 *   - escapes of ASCII letters Python does not know (`\h`, `\e`, `\i`...): Python rejects them, JS reads a literal letter
 * Not flagged: `\d \w \s \b` being Unicode-aware in Python but ASCII in JS (too common to warn on, and the
 * JS reading is the stricter one), lookbehind (both engines accept fixed-width lookbehind the same way), and
 * `$`, which Python also matches before a final newline: it is the tutorials' own idiom, and tool ids and
 * tag values do not end in newlines.
 */

/** Escapes Python's `re` accepts, outside and inside classes. */
const PY_LETTER_ESCAPES = new Set("aAbBdDfnrsStvwWZxuUN".split(""));

/**
 * Pattern text of a `r"..."` literal: its contents exactly as written, since raw strings reach the
 * regex engine unchanged (policy-semantics.md, D14; the simulator reads them the same way).
 */
export function regexBody(raw: string): string {
  return raw.slice(2, -1);
}

/** Problems with one pattern, as human-readable sentences (empty when fine). */
export function regexProblems(pattern: string): string[] {
  const problems: string[] = [];
  const add = (p: string): void => {
    if (!problems.includes(p)) problems.push(p);
  };
  let pythonOnly = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const e = pattern[i + 1] ?? "";
      if (/[A-Za-z]/.test(e) && !PY_LETTER_ESCAPES.has(e) && !(inClass && e === "b")) {
        add(`'\\${e}' is not a valid escape in Python's re (JavaScript reads it as a literal '${e}')`);
      } else if (!inClass && (e === "A" || e === "Z")) {
        add(`'\\${e}' is a Python-only anchor (JavaScript reads it as the letter '${e}')`);
        pythonOnly = true;
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      else if (c === "[" && pattern[i + 1] === ":")
        add("POSIX classes like '[[:alpha:]]' are not supported by Python or JavaScript (they match a different character set)");
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (pattern[i + 1] === "^") i++;
      if (pattern[i + 1] === "]") i++; // a leading ']' is literal
      if (pattern.startsWith("[:", i + 1))
        add("POSIX classes like '[[:alpha:]]' are not supported by Python or JavaScript (they match a different character set)");
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      // Compared in place: slicing the rest of a long pattern at every group would be quadratic.
      const at = i + 2;
      if (pattern.startsWith("P<", at) || pattern.startsWith("P=", at)) {
        add("'(?P<name>...)' / '(?P=name)' are Python named-group syntax (JavaScript uses '(?<name>...)' / '\\k<name>')");
        pythonOnly = true;
      } else if (pattern.startsWith(">", at)) {
        add("atomic groups '(?>...)' are Python 3.11+ only (JavaScript rejects them)");
        pythonOnly = true;
      } else if (pattern.startsWith("#", at)) {
        add("'(?#...)' comments are Python only");
        pythonOnly = true;
      } else if (pattern.startsWith("(", at)) {
        add("conditional groups '(?(...)...)' are Python only");
        pythonOnly = true;
      } else if (inlineFlagsAt(pattern, at)) {
        add(
          i === 0
            ? "inline flags like '(?i)' are Python only (JavaScript has no inline flags)"
            : "inline flags like '(?i)' not at the start of the pattern are an error in Python 3.11+ (and unsupported in JavaScript)",
        );
        pythonOnly = true;
      }
    }
    if (c === "{" && /^\{,\d*\}/.test(pattern.slice(i, i + 24))) {
      add("'{,n}' is 0 to n repetitions in Python, but the literal text '{,n}' in JavaScript; write '{0,n}'");
      pythonOnly = true;
    }
    if ((c === "*" || c === "+" || c === "?" || c === "}") && pattern[i + 1] === "+" && i > 0 && pattern[i - 1] !== "\\") {
      add("possessive quantifiers like '*+' are Python 3.11+ only (JavaScript rejects them)");
      pythonOnly = true;
      i++;
    }
  }
  if (!pythonOnly) {
    try {
      new RegExp(pattern);
    } catch (e) {
      // The engine's message repeats the pattern (`/.../: reason`); the lint message quotes it already.
      add(`does not compile: ${(e as Error).message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, "")}`);
    }
  }
  return problems;
}

const INLINE_FLAGS = /[aiLmsux]+[):-]/y;

/** `(?i)`, `(?ims-x:...)`: flag letters at `at`, then `)`, `:` or `-`. */
function inlineFlagsAt(pattern: string, at: number): boolean {
  INLINE_FLAGS.lastIndex = at;
  return INLINE_FLAGS.test(pattern);
}
