/**
 * SQRT formatter: one canonical layout.
 *
 * Layout: 4-space indentation (as in the SQRT tutorials); one declaration,
 * member or statement per line; `{` at the end of its line and `}` on its own
 * (empty blocks print as `{}`); single spaces around keywords and binary
 * operators; no spaces inside `x.tags`, `@tags`, `x.value`, `(...)`, `[N]`,
 * ranges (`1..5`, `..<d"2025"`) or around set braces (`{"a", "b"}`); `;` glued.
 * Lines are never wrapped. Blank lines between lines are kept (at most one),
 * never after `{` or before `}`. The output ends with one newline.
 *
 * Comments stay where they were: a comment that followed code on the same line
 * stays at the end of that line, one on its own line stays on its own line
 * (re-indented; the inside of multi-line block comments is left untouched).
 * A line comment in the middle of an expression breaks the line there and the
 * rest continues one level deeper. Doc comments print byte for byte, trailing
 * spaces included: their text is part of the tree (it becomes a description).
 *
 * How: the printer walks the tree and consumes the source tokens in order, so
 * only whitespace can change; comments are interleaved by source offset.
 * Operator chains are walked along their left spine in a loop, so a chain as
 * long as the file needs no deeper stack than a short one. As a safety net the
 * result is re-parsed and must give the same tree.
 */
import type * as A from "./ast.js";
import { sameTree } from "./ast.js";
import { T, type Comment, type Token } from "./lexer.js";
import { parseSqrt } from "./parser.js";
import type { PolicyIssue } from "../issue.js";

export interface FormatResult {
  ok: boolean;
  /** Formatted code when `ok`, otherwise the input unchanged. */
  text: string;
  diagnostics: PolicyIssue[];
}

const NONE = 0;
const SPACE = 1;
const NEWLINE = 2;
type Sep = 0 | 1 | 2;
const INDENT = "    ";

class Printer {
  private out = "";
  private indent = 0;
  private pending: Sep = NONE;
  private lastEnd = 0;
  private ci = 0;
  private ti = 0;
  /** True from a structural newline until the next token: a newline that comes mid-statement indents one more level. */
  private stmtStart = true;
  /** No blank line right after `{`. */
  private afterOpen = false;

  constructor(
    private readonly code: string,
    private readonly tokens: Token[],
    private readonly comments: Comment[],
  ) {}

  result(): string {
    // Comments after the last declaration start a line of their own at the top level.
    this.stmtStart = true;
    this.flushComments(this.code.length, true);
    return this.out.length > 0 ? this.out + "\n" : "";
  }

  allTokensUsed(): boolean {
    return this.tokens[this.ti]?.kind === T.EOF;
  }

  sp(): void {
    if (this.pending < SPACE) this.pending = SPACE;
  }

  nl(): void {
    this.pending = NEWLINE;
    this.stmtStart = true;
  }

  open(): void {
    this.w();
    this.indent++;
    this.afterOpen = true;
  }

  /** Closing `}`: comments before it belong inside the block; the brace goes one level out. */
  close(empty: boolean): void {
    const t = this.tokens[this.ti] as Token;
    this.stmtStart = true;
    const commented = this.flushComments(t.start, true);
    this.indent--;
    // `{ /* note */ }` stays on one line; anything else puts `}` on its own line.
    if (!empty || (commented && this.pending === NEWLINE)) this.nl();
    this.emit(t, false);
  }

  /** Writes the next source token after the pending separator. */
  w(): void {
    const t = this.tokens[this.ti] as Token;
    this.flushComments(t.start, false);
    this.emit(t, true);
  }

  private emit(t: Token, allowBlank: boolean): void {
    this.ti++;
    this.separate(t.start, allowBlank && !this.afterOpen);
    this.out += this.code.slice(t.start, t.end);
    this.lastEnd = t.end;
    this.pending = NONE;
    this.stmtStart = false;
    this.afterOpen = t.kind === T.LBrace;
  }

  private separate(nextStart: number, allowBlank: boolean): void {
    if (this.out.length === 0) return;
    if (this.pending === NEWLINE) {
      const blank = allowBlank && blankLineBetween(this.code, this.lastEnd, nextStart);
      this.out += blank ? "\n\n" : "\n";
      this.out += INDENT.repeat(this.indent + (this.stmtStart ? 0 : 1));
    } else if (this.pending === SPACE) this.out += " ";
  }

  /** Emits the comments that start before `limit`; returns whether there were any. */
  private flushComments(limit: number, closing: boolean): boolean {
    const structural = this.pending;
    let any = false;
    while (this.ci < this.comments.length && (this.comments[this.ci] as Comment).start < limit) {
      const c = this.comments[this.ci++] as Comment;
      const raw = this.code.slice(c.start, c.end);
      const text = c.kind === "line" ? raw.trimEnd() : raw;
      if (this.out.length > 0 && !hasNewline(this.code, this.lastEnd, c.start)) this.out += " " + text;
      else {
        this.pending = NEWLINE;
        this.separate(c.start, !this.afterOpen);
        this.out += text;
      }
      this.lastEnd = c.end;
      this.afterOpen = false;
      any = true;
      const after: Sep = c.kind === "line" || newlineFollows(this.code, c.end) ? NEWLINE : SPACE;
      this.pending = (closing ? after : Math.max(after, structural)) as Sep;
    }
    return any;
  }
}

function hasNewline(code: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (code.charCodeAt(i) === 10) return true;
  return false;
}

function blankLineBetween(code: string, from: number, to: number): boolean {
  let n = 0;
  for (let i = from; i < to; i++) if (code.charCodeAt(i) === 10 && ++n >= 2) return true;
  return false;
}

/** Is the next non-blank character after `pos` on a later line (or the end)? */
function newlineFollows(code: string, pos: number): boolean {
  for (let i = pos; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13 && c !== 12) return false;
  }
  return true;
}

/** The left operand of a chain link (`or`/`and`, a set operator, `with`/`without`), or null for anything else. */
const predLeft = (e: A.Pred): A.Pred | null => (e.kind === "Or" || e.kind === "And" ? e.left : null);
const setLeft = (e: A.SetExpr): A.SetExpr | null => (e.kind === "SetBinary" ? e.left : e.kind === "SetWith" ? e.set : null);

/** `top`, its left operand, that one's left operand... down to the first that is not a chain link (last). */
function leftSpine<E>(top: E, left: (e: E) => E | null): E[] {
  const nodes = [top];
  for (let e = left(top); e !== null; e = left(e)) nodes.push(e);
  return nodes;
}

/** Walks the tree, telling the printer where separators go. */
class Layout {
  constructor(private readonly p: Printer) {}

  program(prog: A.Program): void {
    for (const d of prog.declarations) this.declaration(d);
  }

  private docs(docs: A.DocComment[]): void {
    for (let i = 0; i < docs.length; i++) {
      this.p.nl();
      this.p.w();
    }
    this.p.nl();
  }

  private declaration(d: A.Declaration): void {
    const p = this.p;
    this.docs(d.docs);
    p.w(); // let / tool
    p.sp();
    if (d.kind === "Let") {
      p.w();
      p.sp();
      p.w();
      p.sp();
      this.expr(d.value);
      p.w();
      return;
    }
    p.w(); // tool id
    p.sp();
    if (d.kind === "Tool") {
      p.open();
      for (const m of d.members) this.member(m);
      p.close(d.members.length === 0);
      return;
    }
    if (d.priority) {
      p.w();
      p.w();
      p.w();
      p.sp();
    }
    p.w(); // ->
    p.sp();
    if (d.target !== null) {
      p.w();
      if (d.target === "session before" || d.target === "session after") {
        p.sp();
        p.w();
      }
      p.sp();
    }
    this.update(d.update);
    if (d.when) {
      p.sp();
      p.w();
      p.sp();
      this.pred(d.when);
    }
    p.w();
  }

  private member(m: A.Member): void {
    const p = this.p;
    this.docs(m.docs);
    p.w();
    p.sp();
    switch (m.kind) {
      case "Priority":
        p.w();
        p.w();
        return;
      case "Check":
        p.w(); // allow / deny
        p.sp();
        p.w(); // when / always
        if (m.when) {
          p.sp();
          this.pred(m.when);
        }
        p.w();
        return;
      case "SessionBlock":
        p.w();
        p.sp();
        this.block(m.body);
        return;
      case "ResultBlock":
        this.block(m.body);
        return;
    }
  }

  private block(body: A.Stmt[]): void {
    const p = this.p;
    p.open();
    for (const s of body) {
      this.docs(s.docs);
      if (s.kind === "UpdateStmt") {
        this.update(s.update);
        p.w();
        continue;
      }
      p.w();
      p.sp();
      this.pred(s.condition);
      p.sp();
      p.open();
      for (const u of s.updates) {
        p.nl();
        this.update(u);
        p.w();
      }
      p.close(s.updates.length === 0);
    }
    p.close(body.length === 0);
  }

  private update(u: A.Update): void {
    this.operand(u.target);
    this.p.sp();
    this.p.w();
    this.p.sp();
    this.set(u.value);
  }

  private expr(e: A.Expr): void {
    switch (e.kind) {
      case "BoolDomain":
      case "IntDomain":
      case "FloatDomain":
      case "StrDomain":
      case "DatetimeDomain":
        this.element(e);
        return;
      case "Or":
      case "And":
      case "Not":
      case "ParenPred":
      case "In":
      case "ValueEq":
      case "SetCmp":
        this.pred(e);
        return;
      default:
        this.set(e);
    }
  }

  private pred(e: A.Pred): void {
    const p = this.p;
    // `not not x`: one loop step per `not`.
    while (e.kind === "Not") {
      p.w();
      p.sp();
      e = e.operand;
    }
    switch (e.kind) {
      case "Or":
      case "And": {
        const spine = leftSpine<A.Pred>(e, predLeft);
        this.pred(spine[spine.length - 1] as A.Pred);
        for (let i = spine.length - 2; i >= 0; i--) {
          p.sp();
          p.w();
          p.sp();
          this.pred((spine[i] as A.OrPred | A.AndPred).right);
        }
        return;
      }
      case "Ident":
        p.w();
        return;
      case "ParenPred":
        p.w();
        this.pred(e.inner);
        p.w();
        return;
      case "In":
      case "ValueEq":
        this.value(e.kind === "In" ? e.value : e.left);
        p.sp();
        p.w();
        p.sp();
        if (e.kind === "In") this.set(e.set);
        else this.value(e.right);
        return;
      case "SetCmp":
        this.operand(e.left);
        p.sp();
        p.w();
        if (e.op === "subset of" || e.op === "superset of" || e.op === "is empty" || e.op === "is universal") {
          p.sp();
          p.w();
        }
        if (e.right) {
          p.sp();
          this.set(e.right);
        }
        return;
    }
  }

  private value(v: A.ValueOperand): void {
    if (v.kind === "Value") {
      this.p.w();
      this.p.w();
    } else if (v.kind === "Number") this.number(v);
    else this.p.w();
  }

  private operand(o: A.SetOperand): void {
    const p = this.p;
    switch (o.kind) {
      case "Field":
        p.w();
        if (o.base !== "@") p.w(); // '.'
        p.w();
        return;
      case "ArgsField":
        p.w();
        p.w();
        p.w();
        if (o.suffix) {
          p.w();
          p.w();
        }
        return;
      case "Aggregation":
        for (let i = 0; i < 5; i++) {
          if (i > 0) p.sp();
          p.w();
        }
        return;
    }
  }

  private set(e: A.SetExpr): void {
    const p = this.p;
    switch (e.kind) {
      case "SetBinary":
      case "SetWith": {
        const spine = leftSpine<A.SetExpr>(e, setLeft);
        this.set(spine[spine.length - 1] as A.SetExpr);
        for (let i = spine.length - 2; i >= 0; i--) {
          const n = spine[i] as A.SetBinary | A.SetWith;
          p.sp();
          p.w();
          p.sp();
          if (n.kind === "SetBinary") this.set(n.right);
          else this.element(n.element);
        }
        return;
      }
      case "SetLiteral":
        p.w();
        e.elements.forEach((el, i) => {
          if (i > 0) {
            p.w();
            p.sp();
          }
          this.element(el);
        });
        p.w();
        return;
      case "ParenSet":
        p.w();
        this.set(e.inner);
        p.w();
        return;
      case "Ident":
        p.w();
        return;
      default:
        this.operand(e);
    }
  }

  private number(n: A.NumberLit): void {
    this.p.w();
    if (n.raw === "-inf" || n.raw === "+inf") this.p.w();
  }

  private range(r: A.RangeSpec<A.NumberLit | A.DatetimeLit>): void {
    if (r.low) this.bound(r.low);
    if (r.op) this.p.w();
    if (r.high) this.bound(r.high);
  }

  private bound(b: A.NumberLit | A.DatetimeLit): void {
    if (b.kind === "Number") this.number(b);
    else this.p.w();
  }

  private element(e: A.Element): void {
    const p = this.p;
    switch (e.kind) {
      case "Number":
        this.number(e);
        return;
      case "String":
      case "Regex":
      case "Wildcard":
        p.w();
        return;
      case "BoolDomain":
        p.w();
        p.sp();
        p.w();
        return;
      case "IntDomain":
      case "FloatDomain":
        p.w();
        p.sp();
        this.range(e.spec);
        return;
      case "StrDomain":
        p.w();
        p.sp();
        if (e.pattern.kind !== "exact") {
          p.w();
          p.sp();
        }
        p.w();
        if (e.length) {
          p.sp();
          p.w();
          p.sp();
          this.range(e.length);
        }
        return;
      case "DatetimeDomain":
        p.w();
        p.sp();
        if (e.spec.kind === "Range") this.range(e.spec);
        else if (e.spec.kind === "Number") this.number(e.spec);
        else p.w();
        return;
    }
  }
}

export function formatSqrt(code: string): FormatResult {
  const parsed = parseSqrt(code);
  if (!parsed.ast) return { ok: false, text: code, diagnostics: parsed.diagnostics };
  const printer = new Printer(code, parsed.tokens, parsed.comments);
  new Layout(printer).program(parsed.ast);
  const text = printer.result();
  const again = parseSqrt(text);
  if (!printer.allTokensUsed() || !again.ast || !sameTree(again.ast, parsed.ast)) {
    // A formatter bug must never rewrite a policy into something else.
    const issue: PolicyIssue = {
      severity: "error",
      code: "sqrt-format-internal",
      message: "internal formatter error: output would change the program; file left unformatted",
      offset: 0,
      length: 0,
      line: 1,
      column: 1,
    };
    return { ok: false, text: code, diagnostics: [issue] };
  }
  return { ok: true, text, diagnostics: [] };
}
