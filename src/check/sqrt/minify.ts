/**
 * SQRT minifier: drops plain comments and every space that is not needed to
 * keep tokens apart.
 *
 * Doc comments (`///`) are KEPT: the SQRT tutorials say they become the
 * description of the policy or rule they precede, so they are part of the
 * program's meaning (and they sit in `doc*` positions of the grammar), byte for
 * byte. Each is followed by a newline since it runs to the end of its line. The result is
 * re-parsed and must give the same tree; otherwise the original is returned
 * with a diagnostic.
 */
import { sameTree } from "./ast.js";
import { T, type Token } from "./lexer.js";
import { parseSqrt } from "./parser.js";
import type { PolicyIssue } from "../issue.js";

export interface MinifyResult {
  ok: boolean;
  text: string;
  diagnostics: PolicyIssue[];
}

function isIdentPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Would writing `a` and `b` back to back lex differently? */
function needsSpace(code: string, a: Token, b: Token): boolean {
  if (isIdentPart(code.charCodeAt(a.end - 1)) && isIdentPart(code.charCodeAt(b.start))) return true;
  if (a.kind === T.Word && code.charCodeAt(b.start) === 34) return true; // `r "x"` must not become r"x"
  if (a.kind === T.Minus && (b.kind === T.Int || b.kind === T.Float)) return true; // `- 5` must not become -5
  // `-inf` glued is the number; `1.. - inf` (apart) must not become `1..-inf`, a range to -inf.
  if ((a.kind === T.Minus || a.kind === T.Plus) && b.start > a.end && code.startsWith("inf", b.start) && b.end - b.start === 3) return true;
  return false;
}

export function minifySqrt(code: string): MinifyResult {
  const parsed = parseSqrt(code);
  if (!parsed.ast) return { ok: false, text: code, diagnostics: parsed.diagnostics };
  const { tokens } = parsed;
  const parts: string[] = [];
  let prev: Token | null = null;
  for (const t of tokens) {
    if (t.kind === T.EOF) break;
    if (prev !== null && prev.kind !== T.Doc && needsSpace(code, prev, t)) parts.push(" ");
    if (t.kind === T.Doc) {
      if (prev !== null && prev.kind !== T.Doc) parts.push("\n");
      parts.push(code.slice(t.start, t.end), "\n");
    } else parts.push(code.slice(t.start, t.end));
    prev = t;
  }
  const text = parts.join("");
  const again = parseSqrt(text);
  if (!again.ast || !sameTree(again.ast, parsed.ast)) {
    const issue: PolicyIssue = {
      severity: "error",
      code: "sqrt-minify-internal",
      message: "internal minifier error: output would change the program; code left as is",
      offset: 0,
      length: 0,
      line: 1,
      column: 1,
    };
    return { ok: false, text: code, diagnostics: [issue] };
  }
  return { ok: true, text, diagnostics: [] };
}
