/**
 * SQRT lints (warnings, never errors). Codes are stable:
 *
 * - `undefined-name`: a bare identifier used as a predicate (`when IsAdmin`) or a
 *   set (`@tags |= Sensitive`) that no `let` in the program defines. Lets are
 *   global to the program, so order does not matter. `x.tags` / `x.value` name a
 *   tool ARGUMENT, not a let, and are never checked.
 * - `duplicate-let`: a second `let` with a name already defined (reported on the second).
 * - `duplicate-tool`: a second `tool ID { ... }` block with the same id literal
 *   (same kind, same text: `"a"` and `r"a"` differ) and the same priority: blocks
 *   of different priorities are a way to order rules. Shorthand declarations
 *   (`tool "a" -> ...;`) are single updates that are meant to be stacked, so
 *   they are not counted.
 * - `bad-regex`: a `r"..."` literal that JavaScript cannot compile or that Python
 *   and JavaScript read differently (see regex.ts for the exact set).
 * - `unreachable-rule`: a check rule that can never decide a call, in the
 *   resolution order of the policy semantics: a hard deny wins over everything
 *   (D12), then hard allows, then soft rules in order of block priority, highest
 *   first, then source order, the first applicable one deciding (D7). So a rule
 *   is unreachable after an `always` rule taken before it: a `hard deny always`
 *   shadows every allow and soft rule and the hard denies after it; a `hard allow
 *   always` shadows every soft rule and the hard allows after it; a soft `always`
 *   shadows the soft rules after it. Only blocks with the same id literal are
 *   compared: they match the same calls. Other blocks (a regex id that matches
 *   too) can only add rules taken earlier, never make one reachable again.
 *   Presets are not known here: under a hard default (D8) a soft rule of the
 *   default's outcome may be ignored, which this lint does not model.
 *
 * Findings that cite another place (the shadowing rule, the first definition)
 * carry it as a related offset, so callers can give its line in the user's file.
 */
import type * as A from "./ast.js";
import { skipTrivia } from "./lexer.js";
import { blockPriority } from "./priority.js";
import { regexBody, regexProblems } from "./regex.js";
import { LineIndex } from "../../diagnostics/positions.js";
import { locatedNote, type Diagnostic } from "../../diagnostics/index.js";
import type { PolicyIssue } from "../issue.js";

export const LINT_CODES = ["undefined-name", "duplicate-let", "duplicate-tool", "bad-regex", "unreachable-rule"] as const;
export type LintCode = (typeof LINT_CODES)[number];

interface Finding {
  code: LintCode;
  message: string;
  range: A.Range;
  related?: { range: A.Range; message: string }[];
}

type Visitable = A.Expr | A.Element | A.ValueOperand;

/** A regex quoted in a message is cut to this many characters: the frame shows where it is. */
const MAX_QUOTED = 60;

/**
 * Calls `onRef` for bare identifiers and `onRegex` for regex literals inside an
 * expression, in source order. An explicit stack: operator chains are as deep as they are long.
 */
function visitExpr(root: Visitable, onRef: (id: A.Ident) => void, onRegex: (r: A.RegexLit) => void): void {
  const stack: Visitable[] = [root];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    // Children are pushed right to left, so they come off the stack left to right.
    switch (e.kind) {
      case "Ident":
        onRef(e);
        break;
      case "Or":
      case "And":
      case "SetBinary":
      case "ValueEq":
        stack.push(e.right, e.left);
        break;
      case "Not":
        stack.push(e.operand);
        break;
      case "ParenPred":
      case "ParenSet":
        stack.push(e.inner);
        break;
      case "In":
        stack.push(e.set, e.value);
        break;
      case "SetCmp":
        if (e.right) stack.push(e.right);
        break;
      case "SetWith":
        stack.push(e.element, e.set);
        break;
      case "SetLiteral":
        for (let i = e.elements.length - 1; i >= 0; i--) stack.push(e.elements[i] as A.Element);
        break;
      case "Regex":
        onRegex(e);
        break;
      case "StrDomain":
        if (e.pattern.kind === "matching") onRegex(e.pattern.value);
        break;
      default:
        break;
    }
  }
}

/** Where a node's own text starts: after its doc comments (and any comment between them and it). */
function ownRange(code: string, node: { docs: A.DocComment[]; range: A.Range }): A.Range {
  const lastDoc = node.docs[node.docs.length - 1];
  return { start: lastDoc ? skipTrivia(code, lastDoc.range.end) : node.range.start, end: node.range.end };
}

/** A check rule with the priority of its block and its place in the resolution order. */
interface PlacedRule {
  rule: A.CheckRule;
  priority: bigint;
  range: A.Range;
  order: number;
}

const isHard = (r: A.CheckRule): boolean => r.enforcement === "must" || r.enforcement === "hard";
const spelled = (r: A.CheckRule): string => `'${r.enforcement} ${r.outcome} always'`;

/** Block priority, highest first, then source order (D5, D7). */
function resolutionOrder(a: PlacedRule, b: PlacedRule): number {
  if (a.priority !== b.priority) return a.priority > b.priority ? -1 : 1;
  return a.rule.range.start - b.rule.range.start;
}

/** `unreachable-rule` findings for the blocks of one tool id. */
function unreachableRules(blocks: A.ToolDecl[], key: string, code: string): Finding[] {
  const rules: PlacedRule[] = [];
  for (const block of blocks) {
    const priority = blockPriority(block);
    for (const m of block.members) if (m.kind === "Check") rules.push({ rule: m, priority, range: ownRange(code, m), order: 0 });
  }
  rules.sort(resolutionOrder);
  rules.forEach((r, i) => (r.order = i));
  const firstAlways = (hard: boolean, outcome: "allow" | "deny" | null): PlacedRule | undefined =>
    rules.find((r) => r.rule.when === null && isHard(r.rule) === hard && (outcome === null || r.rule.outcome === outcome));
  const hardDeny = firstAlways(true, "deny");
  const hardAllow = firstAlways(true, "allow");
  const soft = firstAlways(false, null);
  const precedes = (a: PlacedRule | undefined, b: PlacedRule): a is PlacedRule => a !== undefined && a.order < b.order;

  const out: Finding[] = [];
  for (const r of rules) {
    let by: PlacedRule | undefined;
    let message: string;
    if (isHard(r.rule) && r.rule.outcome === "deny") {
      if (!precedes(hardDeny, r)) continue;
      by = hardDeny;
      message = `${spelled(by.rule)} already decides every call to tool ${key}`;
    } else if (isHard(r.rule)) {
      if (hardDeny) {
        by = hardDeny;
        message = `${spelled(by.rule)} denies every call to tool ${key}, and a hard deny wins over a hard allow`;
      } else if (precedes(hardAllow, r)) {
        by = hardAllow;
        message = `${spelled(by.rule)} already decides every call to tool ${key}`;
      } else continue;
    } else if (hardDeny || hardAllow) {
      by = (hardDeny ?? hardAllow) as PlacedRule;
      message = `${spelled(by.rule)} applies to every call to tool ${key}, and hard rules are taken before soft ones`;
    } else if (precedes(soft, r)) {
      by = soft;
      message = `${spelled(by.rule)} already decides every call to tool ${key}`;
    } else continue;
    if (by.priority > r.priority) message += " (its block has a higher priority)";
    out.push({
      code: "unreachable-rule",
      message: `this rule can never apply: ${message}`,
      range: r.range,
      related: [{ range: by.range, message: `${spelled(by.rule)} is here` }],
    });
  }
  return out;
}

function findings(program: A.Program, code: string): Finding[] {
  const out: Finding[] = [];
  const lets = new Map<string, A.LetDecl>();
  for (const d of program.declarations) {
    if (d.kind !== "Let") continue;
    const first = lets.get(d.name.name);
    if (first) {
      out.push({
        code: "duplicate-let",
        message: `'${d.name.name}' is already defined by an earlier let`,
        range: d.name.range,
        related: [{ range: first.name.range, message: `the first '${d.name.name}' is here` }],
      });
    } else lets.set(d.name.name, d);
  }

  const onRef = (id: A.Ident): void => {
    if (!lets.has(id.name))
      out.push({
        code: "undefined-name",
        message: `'${id.name}' is not defined by any let (to use a tool argument, write '${id.name}.tags' or '${id.name}.value')`,
        range: id.range,
      });
  };
  const onRegex = (r: A.RegexLit): void => {
    const shown = r.raw.length > MAX_QUOTED ? `${r.raw.slice(0, MAX_QUOTED - 3)}...` : r.raw;
    for (const p of regexProblems(regexBody(r.raw))) out.push({ code: "bad-regex", message: `regex ${shown}: ${p}`, range: r.range });
  };
  const visit = (e: Visitable | null): void => {
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

  /** Blocks by id literal, in source order. */
  const byId = new Map<string, A.ToolDecl[]>();
  /** The first block of each id and priority. */
  const firstBlock = new Map<string, A.ToolDecl>();
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
    const priority = blockPriority(d);
    const first = firstBlock.get(`${priority} ${key}`);
    if (first) {
      const which = priority === 0n ? "" : ` with priority ${priority}`;
      out.push({
        code: "duplicate-tool",
        message: `tool ${key}${which} is already declared (merge the two blocks)`,
        range: d.id.range,
        related: [{ range: first.id.range, message: `the first block for tool ${key}${which} is here` }],
      });
    } else firstBlock.set(`${priority} ${key}`, d);
    const blocks = byId.get(key);
    if (blocks) blocks.push(d);
    else byId.set(key, [d]);

    for (const m of d.members) {
      if (m.kind === "Check") visit(m.when);
      else if (m.kind === "ResultBlock" || m.kind === "SessionBlock") visitStmts(m.body);
    }
  }
  for (const [key, blocks] of byId) out.push(...unreachableRules(blocks, key, code));
  return out.sort((a, b) => a.range.start - b.range.start);
}

/** Lint findings as policy issues (offsets inside `code`). */
export function lintIssues(program: A.Program, code: string): PolicyIssue[] {
  const lines = new LineIndex(code);
  return findings(program, code).map((f) => {
    const { line, column } = lines.position(f.range.start);
    const issue: PolicyIssue = {
      severity: "warning",
      code: f.code,
      message: f.message,
      offset: f.range.start,
      length: f.range.end - f.range.start,
      line,
      column,
    };
    if (f.related) issue.related = f.related.map((r) => ({ offset: r.range.start, length: r.range.end - r.range.start, message: r.message }));
    return issue;
  });
}

/** Lint findings as shared diagnostics; `file` names the source in their locations and notes. */
export function lintSqrt(program: A.Program, code: string, file = "<sqrt>"): Diagnostic[] {
  const lines = new LineIndex(code);
  return lintIssues(program, code).map((i) => {
    const d: Diagnostic = { severity: "warning", code: i.code, message: i.message, location: { file, line: i.line, column: i.column, length: i.length } };
    if (i.related) d.notes = i.related.map((r) => locatedNote({ file, ...lines.position(r.offset) }, r.message));
    return d;
  });
}
