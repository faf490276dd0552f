/**
 * SQRT lints (warnings, never errors). Codes are stable:
 *
 * - `undefined-name`: a bare identifier used as a predicate (`when IsAdmin`) or a
 *   set (`@tags |= Sensitive`) that no `let` in the program defines. Lets are
 *   global to the program, so order does not matter. `x.tags` / `x.value` name a
 *   tool ARGUMENT, not a let, and are never checked.
 * - `duplicate-let`: a second `let` with a name already defined (reported on the second).
 * - `duplicate-tool`: a second `tool ID { ... }` block with the same id literal
 *   (same kind, same text: `"a"` and `r"a"` differ). Shorthand declarations
 *   (`tool "a" -> ...;`) are single updates that are meant to be stacked, so
 *   they are not counted.
 * - `bad-regex`: a `r"..."` literal that JavaScript cannot compile or that Python
 *   and JavaScript read differently (see regex.ts for the exact set).
 * - `unreachable-rule`: a check rule after an unconditional rule (`... always;`)
 *   of at least the same strength in the same `tool` block. Strength: `must`/`hard`
 *   over `should`/`soft`, because a weaker rule cannot override a stronger one and
 *   an equal-strength later rule is shadowed by the earlier one. Only the same block
 *   counts: separate blocks (even for the same id) may carry different `priority`
 *   members and regex ids can overlap partially, so source order across blocks does
 *   not define evaluation order.
 */
import type * as A from "./ast.js";
import { regexBody, regexProblems } from "./regex.js";
import { LineIndex } from "../../diagnostics/positions.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { PolicyIssue } from "../issue.js";

export const LINT_CODES = ["undefined-name", "duplicate-let", "duplicate-tool", "bad-regex", "unreachable-rule"] as const;
export type LintCode = (typeof LINT_CODES)[number];

interface Finding {
  code: LintCode;
  message: string;
  range: A.Range;
}

/** Calls `onRef` for bare identifiers and `onRegex` for regex literals inside an expression. */
function visitExpr(e: A.Expr | A.Element | A.ValueOperand, onRef: (id: A.Ident) => void, onRegex: (r: A.RegexLit) => void): void {
  const go = (x: A.Expr | A.Element | A.ValueOperand): void => visitExpr(x, onRef, onRegex);
  switch (e.kind) {
    case "Ident":
      onRef(e);
      return;
    case "Or":
    case "And":
      go(e.left);
      go(e.right);
      return;
    case "Not":
      go(e.operand);
      return;
    case "ParenPred":
    case "ParenSet":
      go(e.inner);
      return;
    case "In":
      go(e.value);
      go(e.set);
      return;
    case "ValueEq":
      go(e.left);
      go(e.right);
      return;
    case "SetCmp":
      if (e.right) go(e.right);
      return;
    case "SetBinary":
      go(e.left);
      go(e.right);
      return;
    case "SetWith":
      go(e.set);
      go(e.element);
      return;
    case "SetLiteral":
      for (const el of e.elements) go(el);
      return;
    case "Regex":
      onRegex(e);
      return;
    case "StrDomain":
      if (e.pattern.kind === "matching") onRegex(e.pattern.value);
      return;
    default:
      return;
  }
}

function strength(rule: A.CheckRule): number {
  return rule.enforcement === "must" || rule.enforcement === "hard" ? 2 : 1;
}

function findings(program: A.Program, code: string): Finding[] {
  const out: Finding[] = [];
  const lines = new LineIndex(code);
  const lets = new Map<string, A.LetDecl>();
  for (const d of program.declarations) {
    if (d.kind !== "Let") continue;
    const first = lets.get(d.name.name);
    if (first) {
      const at = lines.position(first.name.range.start).line;
      out.push({ code: "duplicate-let", message: `'${d.name.name}' is already defined by the let on line ${at}`, range: d.name.range });
    } else lets.set(d.name.name, d);
  }

  const onRef = (id: A.Ident): void => {
    if (!lets.has(id.name)) out.push({ code: "undefined-name", message: `'${id.name}' is not defined by any let (to use a tool argument, write '${id.name}.tags' or '${id.name}.value')`, range: id.range });
  };
  const onRegex = (r: A.RegexLit): void => {
    for (const p of regexProblems(regexBody(r.raw))) out.push({ code: "bad-regex", message: `regex ${r.raw}: ${p}`, range: r.range });
  };
  const visit = (e: A.Expr | A.Element | A.ValueOperand | null): void => {
    if (e) visitExpr(e, onRef, onRegex);
  };
  const visitStmts = (body: A.Stmt[]): void => {
    for (const s of body) {
      if (s.kind === "UpdateStmt") visit(s.update.value);
      else {
        visit(s.condition);
        for (const u of s.updates) visit(u.value);
      }
    }
  };

  const tools = new Map<string, A.ToolDecl>();
  for (const d of program.declarations) {
    if (d.kind === "Let") {
      visit(d.value);
      continue;
    }
    if (d.id.kind === "Regex") onRegex(d.id);
    if (d.kind === "ToolShorthand") {
      visit(d.update.value);
      visit(d.when);
      continue;
    }
    const key = d.id.raw;
    const first = tools.get(key);
    if (first) {
      const at = lines.position(first.range.start).line;
      out.push({ code: "duplicate-tool", message: `tool ${key} is already declared on line ${at} (merge the two blocks)`, range: d.id.range });
    } else tools.set(key, d);

    let unconditional: A.CheckRule | null = null;
    for (const m of d.members) {
      if (m.kind === "Check") {
        visit(m.when);
        if (unconditional && strength(unconditional) >= strength(m)) {
          const at = lines.position(unconditional.range.start).line;
          out.push({
            code: "unreachable-rule",
            message: `this rule can never apply: '${unconditional.enforcement} ${unconditional.outcome} always' on line ${at} already decides every call to tool ${key}`,
            range: m.range,
          });
        }
        if (m.when === null && (!unconditional || strength(m) > strength(unconditional))) unconditional = m;
      } else if (m.kind === "ResultBlock" || m.kind === "SessionBlock") visitStmts(m.body);
    }
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

/** Lint findings as policy issues (offsets inside `code`). */
export function lintIssues(program: A.Program, code: string): PolicyIssue[] {
  const lines = new LineIndex(code);
  return findings(program, code).map((f) => {
    const { line, column } = lines.position(f.range.start);
    return { severity: "warning", code: f.code, message: f.message, offset: f.range.start, length: f.range.end - f.range.start, line, column };
  });
}

/** Lint findings as shared diagnostics; `file` names the source in their locations. */
export function lintSqrt(program: A.Program, code: string, file = "<sqrt>"): Diagnostic[] {
  return lintIssues(program, code).map((i) => ({
    severity: "warning",
    code: i.code,
    message: i.message,
    location: { file, line: i.line, column: i.column, length: i.length },
  }));
}
