/**
 * Hand-written recursive-descent parser for SQRT, agreeing with the reference
 * (Lark Earley) grammar on what is accepted.
 *
 * Operator chains (`or`/`and`, the set operators, `with`/`without`, `not`) are
 * built with loops and an operator stack, never one call per operator, so a
 * chain as long as the file parses in constant stack depth. Only parentheses
 * recurse; more than MAX_NESTING levels are refused with `nesting-too-deep`.
 *
 * Where the grammar is ambiguous the parser decides with a few tokens of
 * lookahead (keyword vs identifier: `not`, `union`, `true`, `inf`, `when`,
 * domain words), and in one place backtracks: a `let` value may be a predicate
 * or a set expression, so it tries both and keeps the one that parses (each is
 * tried at most once, so parsing stays linear). Errors point at the first token
 * that no alternative could use, as the Earley parser does.
 */
import type * as A from "./ast.js";
import { lex, T, TOKEN_NAMES, TokenWriter, tokenObjects, type Comment, type Token, type TokenKind, type TokenList } from "./lexer.js";
import { Interner } from "./intern.js";
import { LineIndex } from "../../diagnostics/positions.js";
import type { PolicyIssue } from "../issue.js";

export interface ParseResult {
  ok: boolean;
  /** The tree when `ok`; null otherwise. */
  ast: A.Program | null;
  /** At most one syntax error (parsing stops at the first). */
  diagnostics: PolicyIssue[];
  tokens: Token[];
  comments: Comment[];
}

/** A syntax error in flight. Plain object (not an Error) so backtracking does not pay for stack traces. */
interface Failure {
  index: number;
  expected: string[];
  after: string | null;
  note: string | null;
  /** Set for too deep nesting: a fixed message, and no other reading of a `let` value is tried. */
  tooDeep?: true;
}

/** Parentheses deeper than this are refused: each level costs a few stack frames here and in every tree walker. */
const MAX_NESTING = 1000;

const KEYWORDS = (
  "let tool priority must hard should soft allow deny when always result session before after not and or in " +
  "overlaps subset superset of is empty universal union intersect minus xor with without from args bool int float str " +
  "datetime matching like length true false inf tags producers consumers"
).split(" ");
const FIELDS = new Set(["tags", "producers", "consumers"]);
const DOMAIN_WORDS = new Set(["bool", "int", "float", "str", "datetime"]);
const ENFORCEMENTS = new Set(["must", "hard", "should", "soft"]);
/** "after '..'" texts, prebuilt since they are passed on every range bound. */
const QUOTED_RANGE_OPS: Record<A.RangeOp, string> = { "..": "'..'", "..<": "'..<'", "<..": "'<..'", "<..<": "'<..<'" };

/** Index of a token in the parser's `TokenList`. */
type Tok = number;

class Parser {
  private pos = 0;
  private lastEnd = 0;
  /** Parentheses open around the current token. */
  private depth = 0;
  private readonly kinds: Uint8Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** Index of the EOF token (always the last). */
  private readonly eof: Tok;

  constructor(
    private readonly code: string,
    private readonly tokens: TokenList,
    private readonly words: Interner,
  ) {
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.eof = tokens.count - 1;
  }

  // ---- token helpers (tokens are indices into the typed arrays) ----

  /** The token `k` ahead; past the end, EOF. */
  private peek(k = 0): Tok {
    const i = this.pos + k;
    return Math.min(i, this.eof);
  }

  private kindOf(t: Tok): TokenKind {
    return this.kinds[t] as TokenKind;
  }

  private startOf(t: Tok): number {
    return this.starts[t] as number;
  }

  private endOf(t: Tok): number {
    return this.ends[t] as number;
  }

  private next(): Tok {
    const t = this.peek();
    if (this.kindOf(t) !== T.EOF) this.pos++;
    this.lastEnd = this.endOf(t);
    return t;
  }

  private text(t: Tok): string {
    return this.code.slice(this.startOf(t), this.endOf(t));
  }

  /** Text of a Word token, interned (see `Interner`). */
  private word(t: Tok): string {
    return this.words.get(this.code, this.startOf(t), this.endOf(t));
  }

  private isWord(t: Tok, w: string): boolean {
    const start = this.startOf(t);
    return this.kindOf(t) === T.Word && this.endOf(t) - start === w.length && this.code.startsWith(w, start);
  }

  private tokRange(t: Tok): A.Range {
    return { start: this.startOf(t), end: this.endOf(t) };
  }

  private failure(expected: string[], after: string | null = null, note: string | null = null, index = this.pos): Failure {
    return { index: Math.min(index, this.eof), expected, after, note };
  }

  private fail(expected: string[], after: string | null = null, note: string | null = null, index = this.pos): never {
    throw this.failure(expected, after, note, index);
  }

  private expect(kind: TokenKind, after: string | null): Tok {
    if (this.kindOf(this.peek()) !== kind) this.fail([TOKEN_NAMES[kind]], after);
    return this.next();
  }

  /** `expect` with "after 'word'" naming token `afterTok`; the message is only built on failure. */
  private expectAfterTok(kind: TokenKind, afterTok: Tok): Tok {
    if (this.kindOf(this.peek()) !== kind) this.fail([TOKEN_NAMES[kind]], `'${this.text(afterTok)}'`);
    return this.next();
  }

  private expectWord(w: string, after: string | null): Tok {
    if (!this.isWord(this.peek(), w)) this.fail([`'${w}'`], after);
    return this.next();
  }

  private range(start: number): A.Range {
    return { start, end: this.lastEnd };
  }

  // ---- declarations ----

  parseProgram(): A.Program {
    const declarations: A.Declaration[] = [];
    for (;;) {
      const docs = this.parseDocs();
      const t = this.peek();
      if (this.kindOf(t) === T.EOF) {
        if (docs.length > 0) this.fail(["'let'", "'tool'"], "doc comment");
        break;
      }
      const start = docs[0]?.range.start ?? this.startOf(t);
      if (this.isWord(t, "let")) declarations.push(this.parseLet(docs, start));
      else if (this.isWord(t, "tool")) declarations.push(this.parseTool(docs, start));
      else this.fail(["'let'", "'tool'"], null, keywordHint(this.wordOf(t), ["let", "tool"]));
    }
    return { kind: "Program", declarations, range: { start: 0, end: this.code.length } };
  }

  private wordOf(t: Tok): string | null {
    return this.kindOf(t) === T.Word ? this.word(t) : null;
  }

  private parseDocs(): A.DocComment[] {
    const docs: A.DocComment[] = [];
    while (this.kindOf(this.peek()) === T.Doc) {
      const t = this.next();
      docs.push({ kind: "Doc", text: this.code.slice(this.startOf(t) + 3, this.endOf(t)), range: this.tokRange(t) });
    }
    return docs;
  }

  private parseLet(docs: A.DocComment[], start: number): A.LetDecl {
    this.next();
    const nameTok = this.peek();
    if (this.kindOf(nameTok) !== T.Word) this.fail(["a name"], "'let'");
    this.next();
    const name: A.Ident = { kind: "Ident", name: this.word(nameTok), range: this.tokRange(nameTok) };
    if (this.kindOf(this.peek()) !== T.Assign) this.fail([TOKEN_NAMES[T.Assign]], `'let ${name.name}'`);
    this.next();
    const value = this.parseLetValue();
    this.expect(T.Semi, "let declaration");
    return { kind: "Let", docs, name, value, range: this.range(start) };
  }

  /** `expression: predicate | set_expression | type_domain`. */
  private parseLetValue(): A.Expr {
    const t = this.peek();
    if (this.kindOf(t) === T.Word && DOMAIN_WORDS.has(this.word(t)) && this.domainFollows(this.word(t), 1)) return this.parseDomain();
    if (this.kindOf(t) === T.LBrace) {
      // `{` cannot start a predicate, and the set reading consumes it, so any set error
      // lies further on and would win anyway: skip the predicate attempt (and its throw).
      const set = this.parseSet();
      if (this.kindOf(this.peek()) !== T.Semi) this.fail(["';'"], "let value");
      return set;
    }
    const save = this.pos;
    const saveEnd = this.lastEnd;
    const saveDepth = this.depth;
    // Failures are thrown from deep inside an attempt; the common "parsed, but no ';'"
    // case is recorded without a throw, as throwing is slow.
    let first: Failure;
    try {
      const pred = this.parsePred();
      if (this.kindOf(this.peek()) === T.Semi) return pred;
      first = this.failure(["';'"], "let value");
    } catch (e) {
      if (!isFailure(e) || e.tooDeep) throw e;
      first = e;
    }
    this.pos = save;
    this.lastEnd = saveEnd;
    this.depth = saveDepth;
    let second: Failure;
    try {
      const set = this.parseSet();
      if (this.kindOf(this.peek()) === T.Semi) return set;
      second = this.failure(["';'"], "let value");
    } catch (e) {
      if (!isFailure(e) || e.tooDeep) throw e;
      second = e;
    }
    if (second.index > first.index) throw second;
    if (second.index < first.index) throw first;
    // Both died at the same token: say everything that could have come there.
    const expected = [...new Set([...first.expected, ...second.expected])];
    throw { index: first.index, expected, after: first.after === second.after ? first.after : null, note: first.note ?? second.note } satisfies Failure;
  }

  private parseTool(docs: A.DocComment[], start: number): A.ToolDecl | A.ToolShorthand {
    this.next();
    const id = this.parseToolId();
    const t = this.peek();
    if (this.kindOf(t) === T.LBrace) {
      this.next();
      const members: A.Member[] = [];
      for (;;) {
        const mdocs = this.parseDocs();
        const m = this.peek();
        if (this.kindOf(m) === T.RBrace && mdocs.length === 0) break;
        members.push(this.parseMember(mdocs));
      }
      this.next();
      return { kind: "Tool", docs, id, members, range: this.range(start) };
    }
    let priority: A.NumberLit | null = null;
    if (this.kindOf(t) === T.LBracket) {
      this.next();
      const p = this.expect(T.Int, "'['");
      priority = { kind: "Number", raw: this.text(p), range: { start: this.startOf(p), end: this.endOf(p) } };
      this.expect(T.RBracket, "shorthand priority");
    }
    if (this.kindOf(this.peek()) !== T.Arrow) this.fail(priority ? ["'->'"] : ["'{'", "'['", "'->'"], "tool id");
    this.next();
    let target: A.ShorthandTarget | null = null;
    const tt = this.peek();
    if (this.isWord(tt, "result")) {
      this.next();
      target = "result";
    } else if (this.isWord(tt, "session")) {
      this.next();
      target = "session";
      const timing = this.peek();
      if (this.isWord(timing, "before") || this.isWord(timing, "after")) {
        this.next();
        target = this.isWord(timing, "before") ? "session before" : "session after";
      }
    }
    const ustart = this.startOf(this.peek());
    if (this.kindOf(this.peek()) !== T.At) this.fail(target ? ["'@'"] : ["'result'", "'session'", "'@'"], target ? `'${target}'` : "'->'");
    this.next();
    const field = this.parseField(ustart, "@", "'@'");
    const op = this.parseAssignOp("'@" + field.field + "'");
    const value = this.parseSet();
    const update: A.Update = { kind: "Update", target: field, op, value, range: this.range(ustart) };
    let when: A.Pred | null = null;
    if (this.isWord(this.peek(), "when")) {
      this.next();
      when = this.parsePred();
    }
    this.expect(T.Semi, "tool shorthand");
    return { kind: "ToolShorthand", docs, id, priority, target, update, when, range: this.range(start) };
  }

  private parseToolId(): A.ToolId {
    const t = this.peek();
    if (this.kindOf(t) === T.String || this.kindOf(t) === T.Regex) {
      this.next();
      return { kind: this.kindOf(t) === T.String ? "String" : "Regex", raw: this.text(t), range: this.tokRange(t) };
    }
    return this.fail(['a tool id (string or r"regex")'], "'tool'");
  }

  private parseMember(docs: A.DocComment[]): A.Member {
    const t = this.peek();
    const start = docs[0]?.range.start ?? this.startOf(t);
    const w = this.wordOf(t);
    if (w === "priority") {
      this.next();
      const v = this.expect(T.Int, "'priority'");
      this.expect(T.Semi, "priority");
      return {
        kind: "Priority",
        docs,
        value: { kind: "Number", raw: this.text(v), range: { start: this.startOf(v), end: this.endOf(v) } },
        range: this.range(start),
      };
    }
    if (w !== null && ENFORCEMENTS.has(w)) {
      this.next();
      const o = this.peek();
      if (!this.isWord(o, "allow") && !this.isWord(o, "deny")) this.fail(["'allow'", "'deny'"], `'${w}'`, keywordHint(this.wordOf(o), ["allow", "deny"]));
      this.next();
      const outcome = this.isWord(o, "allow") ? "allow" : "deny";
      let when: A.Pred | null = null;
      const c = this.peek();
      if (this.isWord(c, "when")) {
        this.next();
        when = this.parsePred();
      } else if (this.isWord(c, "always")) this.next();
      else this.fail(["'when'", "'always'"], `'${w} ${outcome}'`, keywordHint(this.wordOf(c), ["when", "always"]));
      this.expect(T.Semi, "check rule");
      return { kind: "Check", docs, enforcement: w as A.Enforcement, outcome, when, range: this.range(start) };
    }
    if (w === "result") {
      this.next();
      const body = this.parseBlock("'result'");
      return { kind: "ResultBlock", docs, body, range: this.range(start) };
    }
    if (w === "session") {
      this.next();
      const timing = this.peek();
      if (!this.isWord(timing, "before") && !this.isWord(timing, "after")) this.fail(["'before'", "'after'"], "'session'");
      this.next();
      const body = this.parseBlock(this.isWord(timing, "before") ? "'session before'" : "'session after'");
      return { kind: "SessionBlock", docs, timing: this.isWord(timing, "before") ? "before" : "after", body, range: this.range(start) };
    }
    const members = ["priority", "must", "hard", "should", "soft", "result", "session"];
    return this.fail(
      docs.length > 0 ? members.map((m) => `'${m}'`) : [...members.map((m) => `'${m}'`), "'}'"],
      docs.length > 0 ? "doc comment" : null,
      keywordHint(w, members),
    );
  }

  private parseBlock(after: string): A.Stmt[] {
    this.expect(T.LBrace, after);
    const body: A.Stmt[] = [];
    for (;;) {
      const docs = this.parseDocs();
      const t = this.peek();
      if (this.kindOf(t) === T.RBrace && docs.length === 0) break;
      const start = docs[0]?.range.start ?? this.startOf(t);
      // `when.tags = ...` updates an argument named `when`.
      if (this.isWord(t, "when") && this.kindOf(this.peek(1)) !== T.Dot) {
        this.next();
        const condition = this.parsePred();
        this.expect(T.LBrace, "'when' condition");
        const updates: A.Update[] = [];
        while (this.kindOf(this.peek()) !== T.RBrace) {
          updates.push(this.parseUpdate(true));
          this.expect(T.Semi, "update");
        }
        this.next();
        body.push({ kind: "When", docs, condition, updates, range: this.range(start) });
      } else {
        const update = this.parseUpdate(false);
        this.expect(T.Semi, "update");
        body.push({ kind: "UpdateStmt", docs, update, range: this.range(start) });
      }
    }
    this.next();
    return body;
  }

  private parseUpdate(inWhen: boolean): A.Update {
    const t = this.peek();
    const start = this.startOf(t);
    let target: A.FieldAccess;
    if (this.kindOf(t) === T.At) {
      this.next();
      target = this.parseField(start, "@", "'@'");
    } else if (this.kindOf(t) === T.AtResult || this.kindOf(t) === T.AtSession) {
      this.next();
      this.expect(T.Dot, TOKEN_NAMES[this.kindOf(t)]);
      target = this.parseField(start, this.kindOf(t) === T.AtResult ? "@result" : "@session", t);
    } else if (this.kindOf(t) === T.Word) {
      // Any word can name an argument here, so a missing '.' is the error, not the word.
      this.next();
      this.expectAfterTok(T.Dot, t);
      const base: A.Ident = { kind: "Ident", name: this.word(t), range: this.tokRange(t) };
      target = this.parseField(start, base, t);
    } else {
      const expected = ["an update target ('@tags', '@result.tags', 'x.tags', ...)"];
      if (!inWhen) expected.push("'when'");
      expected.push("'}'");
      return this.fail(expected);
    }
    const op = this.parseAssignOp("update target");
    const value = this.parseSet();
    return { kind: "Update", target, op, value, range: this.range(start) };
  }

  private parseAssignOp(after: string): A.AssignOp {
    const k = this.kindOf(this.peek());
    const op: A.AssignOp | null =
      k === T.Assign ? "=" : k === T.OrAssign ? "|=" : k === T.AndAssign ? "&=" : k === T.MinusAssign ? "-=" : k === T.XorAssign ? "^=" : null;
    if (op === null) return this.fail(["'='", "'|='", "'&='", "'-='", "'^='"], after);
    this.next();
    return op;
  }

  /**
   * META_FIELD after `@`, `@result.`, `x.`: builds the access node starting at `start`.
   * `after` names what came before for the error message; a token index stands for
   * `'<its text>.'` (built only on failure, as this runs for every field access).
   */
  private parseField(start: number, base: A.FieldAccess["base"], after: string | Tok): A.FieldAccess {
    const t = this.peek();
    const w = this.wordOf(t);
    if (w === null || !FIELDS.has(w)) {
      const afterText = typeof after === "number" ? `'${this.text(after)}.'` : after;
      this.fail(["'tags'", "'producers'", "'consumers'"], afterText, keywordHint(w, ["tags", "producers", "consumers"]));
    }
    this.next();
    return { kind: "Field", base, field: w as A.MetaField, range: this.range(start) };
  }

  // ---- predicates ----

  /** `or` / `and` chains: operands and pending operators on stacks, `and` binding tighter (both left-associative). */
  private parsePred(): A.Pred {
    const first = this.parseNot();
    // Most predicates have no operator: no stacks for them.
    if (this.predOpLevel(this.peek()) < 0) return first;
    const operands: A.Pred[] = [first];
    const levels: number[] = [];
    for (let level = this.predOpLevel(this.peek()); level >= 0; level = this.predOpLevel(this.peek())) {
      // Operators of equal or tighter binding on the stack are complete: left associativity.
      while (levels.length > 0 && (levels[levels.length - 1] as number) >= level) reducePred(operands, levels);
      this.next();
      levels.push(level);
      operands.push(this.parseNot());
    }
    while (levels.length > 0) reducePred(operands, levels);
    return operands[0] as A.Pred;
  }

  /** 0 for `or`, 1 for `and`, -1 for anything else. */
  private predOpLevel(t: Tok): number {
    return this.isWord(t, "or") ? 0 : this.isWord(t, "and") ? 1 : -1;
  }

  /** `not not ... atom`: the `not`s are counted, then wrapped around the atom inside out. */
  private parseNot(): A.Pred {
    if (!this.isWord(this.peek(), "not") || !this.notIsKeyword()) return this.parseAtom();
    const starts: number[] = [];
    do starts.push(this.startOf(this.next()));
    while (this.isWord(this.peek(), "not") && this.notIsKeyword());
    let pred = this.parseAtom();
    for (let i = starts.length - 1; i >= 0; i--) pred = { kind: "Not", operand: pred, range: { start: starts[i] as number, end: this.lastEnd } };
    return pred;
  }

  /** Can token `k` ahead begin a predicate operand? */
  private startsPred(k: number): boolean {
    const t = this.peek(k);
    switch (this.kindOf(t)) {
      case T.Word:
      case T.String:
      case T.Datetime:
      case T.Int:
      case T.Float:
      case T.LParen:
      case T.At:
      case T.AtResult:
      case T.AtSession:
      case T.AtArgs:
      case T.Minus:
      case T.Plus:
        return true;
      default:
        return false;
    }
  }

  /**
   * `not` followed by something: is it the operator or an identifier named `not`?
   * An identifier when an accessor (`.`/`.value`) or the end of the predicate follows;
   * for `not and x` / `not or x` (the only truly ambiguous shape) the identifier reading wins.
   */
  private notIsKeyword(): boolean {
    const t1 = this.peek(1);
    if (this.kindOf(t1) === T.Dot || this.kindOf(t1) === T.DotValue) return false;
    if (!this.startsPred(1)) return !(this.kindOf(t1) === T.RParen || this.kindOf(t1) === T.Semi || this.kindOf(t1) === T.LBrace || this.kindOf(t1) === T.EOF);
    if (this.isWord(t1, "and") || this.isWord(t1, "or")) {
      const t2 = this.peek(2);
      if (this.kindOf(t2) === T.Dot || this.kindOf(t2) === T.DotValue) return true;
      if (this.isWord(t2, "and") || this.isWord(t2, "or")) return true;
      return !this.startsPred(2);
    }
    return true;
  }

  private parseAtom(): A.Pred {
    const t = this.peek();
    switch (this.kindOf(t)) {
      case T.LParen: {
        this.openParen();
        const inner = this.parsePred();
        this.expect(T.RParen, "parenthesised predicate");
        this.depth--;
        return { kind: "ParenPred", inner, range: this.range(this.startOf(t)) };
      }
      case T.Word: {
        const w = this.word(t);
        const t1 = this.peek(1);
        if (this.kindOf(t1) === T.DotValue || ((w === "true" || w === "false" || w === "inf") && (this.kindOf(t1) === T.EqEq || this.isWord(t1, "in")))) {
          return this.parseValueComparison(this.parseValueOperand());
        }
        if (this.kindOf(t1) === T.Dot || ((w === "union" || w === "intersect") && this.isWord(t1, "of"))) {
          return this.parseSetComparison(this.parseSetOperand());
        }
        this.next();
        return { kind: "Ident", name: w, range: this.tokRange(t) };
      }
      case T.AtResult:
      case T.AtSession:
        if (this.kindOf(this.peek(1)) === T.DotValue) return this.parseValueComparison(this.parseValueOperand());
        return this.parseSetComparison(this.parseSetOperand());
      case T.At:
      case T.AtArgs:
        return this.parseSetComparison(this.parseSetOperand());
      case T.String:
      case T.Datetime:
      case T.Int:
      case T.Float:
      case T.Minus:
      case T.Plus:
        return this.parseValueComparison(this.parseValueOperand());
      default:
        return this.fail(["a predicate"]);
    }
  }

  private parseValueComparison(value: A.ValueOperand): A.Pred {
    const t = this.peek();
    if (this.isWord(t, "in")) {
      this.next();
      const set = this.parseSet();
      return { kind: "In", value, set, range: { start: value.range.start, end: this.lastEnd } };
    }
    if (this.kindOf(t) === T.EqEq) {
      this.next();
      const right = this.parseValueOperand();
      return { kind: "ValueEq", left: value, right, range: { start: value.range.start, end: this.lastEnd } };
    }
    return this.fail(["'in'", "'=='"], "value", keywordHint(this.wordOf(t), ["in"]));
  }

  private parseValueOperand(): A.ValueOperand {
    const t = this.peek();
    const r = { start: this.startOf(t), end: this.endOf(t) };
    switch (this.kindOf(t)) {
      case T.Word: {
        const w = this.word(t);
        if (this.kindOf(this.peek(1)) === T.DotValue) {
          this.next();
          this.next();
          return { kind: "Value", base: { kind: "Ident", name: w, range: r }, range: this.range(this.startOf(t)) };
        }
        if (w === "true" || w === "false") {
          this.next();
          return { kind: "Bool", value: w === "true", range: r };
        }
        if (w === "inf") return this.parseNumber("value");
        // Any other word can only be an argument name, so the missing '.value' is the error.
        this.next();
        this.expectAfterTok(T.DotValue, t);
        return { kind: "Value", base: { kind: "Ident", name: w, range: r }, range: this.range(this.startOf(t)) };
      }
      case T.AtResult:
      case T.AtSession:
        this.next();
        this.expect(T.DotValue, TOKEN_NAMES[this.kindOf(t)]);
        return { kind: "Value", base: this.kindOf(t) === T.AtResult ? "@result" : "@session", range: this.range(this.startOf(t)) };
      case T.String:
        this.next();
        return { kind: "String", raw: this.text(t), range: r };
      case T.Datetime:
        this.next();
        return { kind: "Datetime", raw: this.text(t), range: r };
      case T.Int:
      case T.Float:
      case T.Minus:
      case T.Plus:
        return this.parseNumber("value");
    }
    return this.fail(['a value (x.value, string, number, bool or d"datetime")'], "'=='");
  }

  /** The comparison node, ending at the last token read. */
  private setCmp(left: A.SetOperand, op: A.SetComparisonOp, right: A.SetExpr | null): A.SetComparison {
    return { kind: "SetCmp", op, left, right, range: { start: left.range.start, end: this.lastEnd } };
  }

  private parseSetComparison(left: A.SetOperand): A.Pred {
    const t = this.peek();
    const w = this.wordOf(t);
    if (this.kindOf(t) === T.EqEq || w === "overlaps") {
      this.next();
      return this.setCmp(left, this.kindOf(t) === T.EqEq ? "==" : "overlaps", this.parseSet());
    }
    if (w === "subset" || w === "superset") {
      this.next();
      this.expectWord("of", `'${w}'`);
      return this.setCmp(left, w === "subset" ? "subset of" : "superset of", this.parseSet());
    }
    if (w === "is") {
      this.next();
      const e = this.peek();
      if (this.isWord(e, "empty") || this.isWord(e, "universal")) {
        this.next();
        return this.setCmp(left, this.isWord(e, "empty") ? "is empty" : "is universal", null);
      }
      return this.fail(["'empty'", "'universal'"], "'is'");
    }
    const ops = ["overlaps", "subset", "superset", "is"];
    return this.fail(["'overlaps'", "'subset of'", "'superset of'", "'=='", "'is empty'", "'is universal'"], "set operand", keywordHint(w, ops));
  }

  private parseSetOperand(): A.SetOperand {
    const t = this.peek();
    const start = this.startOf(t);
    switch (this.kindOf(t)) {
      case T.At:
        this.next();
        return this.parseField(start, "@", "'@'");
      case T.AtResult:
      case T.AtSession:
        this.next();
        this.expect(T.Dot, TOKEN_NAMES[this.kindOf(t)]);
        return this.parseField(start, this.kindOf(t) === T.AtResult ? "@result" : "@session", t);
      case T.AtArgs: {
        this.next();
        this.expect(T.Dot, "'@args'");
        const f = this.parseField(start, "@", "'@args.'");
        let suffix: "union" | "intersect" | null = null;
        if (this.kindOf(this.peek()) === T.Dot) {
          this.next();
          const s = this.peek();
          if (!this.isWord(s, "union") && !this.isWord(s, "intersect")) this.fail(["'union'", "'intersect'"], `'@args.${f.field}.'`);
          this.next();
          suffix = this.isWord(s, "union") ? "union" : "intersect";
        }
        return { kind: "ArgsField", field: f.field, suffix, range: this.range(start) };
      }
      case T.Word: {
        const w = this.word(t);
        if ((w === "union" || w === "intersect") && this.isWord(this.peek(1), "of")) {
          this.next();
          this.next();
          const f = this.parseField(start, "@", `'${w} of'`);
          this.expectWord("from", `'${w} of ${f.field}'`);
          this.expectWord("args", "'from'");
          return { kind: "Aggregation", op: w, field: f.field, range: this.range(start) };
        }
        this.next();
        this.expect(T.Dot, "identifier");
        return this.parseField(start, { kind: "Ident", name: w, range: this.tokRange(t) }, t);
      }
    }
    return this.fail(["a set operand"]);
  }

  // ---- set expressions (loosest to tightest: xor, minus, intersect, union, with/without) ----

  /**
   * A set expression: binary operators by precedence (loosest to tightest: xor,
   * minus, intersect, union; all left-associative) over `with`/`without` chains,
   * reduced on an operator stack.
   */
  private parseSet(): A.SetExpr {
    const first = this.parseWithOp();
    if (this.setOpLevel(this.peek()) < 0) return first;
    const operands: A.SetExpr[] = [first];
    const ops: A.SetBinaryOp[] = [];
    const levels: number[] = [];
    for (let t = this.peek(), level = this.setOpLevel(t); level >= 0; t = this.peek(), level = this.setOpLevel(t)) {
      while (levels.length > 0 && (levels[levels.length - 1] as number) >= level) reduceSet(operands, ops, levels);
      this.next();
      ops.push(this.word(t) as A.SetBinaryOp);
      levels.push(level);
      operands.push(this.parseWithOp());
    }
    while (levels.length > 0) reduceSet(operands, ops, levels);
    return operands[0] as A.SetExpr;
  }

  /** Precedence of a set operator token (0 loosest), or -1. */
  private setOpLevel(t: Tok): number {
    switch (this.kindOf(t)) {
      case T.Caret:
        return 0;
      case T.Minus:
        return 1;
      case T.Amp:
        return 2;
      case T.Pipe:
        return 3;
      case T.Word: {
        const w = this.word(t);
        return w === "xor" ? 0 : w === "minus" ? 1 : w === "intersect" ? 2 : w === "union" ? 3 : -1;
      }
      default:
        return -1;
    }
  }

  private parseWithOp(): A.SetExpr {
    let set = this.parseSetAtom();
    for (;;) {
      const t = this.peek();
      const w = this.wordOf(t);
      if (w !== "with" && w !== "without") return set;
      this.next();
      const element = this.parseElement(w === "with" ? "'with'" : "'without'");
      set = { kind: "SetWith", op: w, set, element, range: { start: set.range.start, end: this.lastEnd } };
    }
  }

  /** Consumes a `(`, refusing one level too many. */
  private openParen(): void {
    if (this.depth >= MAX_NESTING) throw { ...this.failure([]), tooDeep: true } satisfies Failure;
    this.depth++;
    this.next();
  }

  private parseSetAtom(): A.SetExpr {
    const t = this.peek();
    switch (this.kindOf(t)) {
      case T.LBrace: {
        this.next();
        const elements: A.Element[] = [];
        if (this.kindOf(this.peek()) !== T.RBrace) {
          elements.push(this.parseElement("'{'"));
          while (this.kindOf(this.peek()) === T.Comma) {
            this.next();
            elements.push(this.parseElement("','"));
          }
          if (this.kindOf(this.peek()) !== T.RBrace) this.fail(["','", "'}'"], "set element");
        }
        this.next();
        return { kind: "SetLiteral", elements, range: this.range(this.startOf(t)) };
      }
      case T.LParen: {
        this.openParen();
        const inner = this.parseSet();
        this.expect(T.RParen, "parenthesised set expression");
        this.depth--;
        return { kind: "ParenSet", inner, range: this.range(this.startOf(t)) };
      }
      case T.At:
      case T.AtResult:
      case T.AtSession:
      case T.AtArgs:
        return this.parseSetOperand();
      case T.Word: {
        const t1 = this.peek(1);
        if (this.kindOf(t1) === T.Dot || (this.isWord(t1, "of") && (this.isWord(t, "union") || this.isWord(t, "intersect")))) return this.parseSetOperand();
        this.next();
        return { kind: "Ident", name: this.word(t), range: this.tokRange(t) };
      }
    }
    return this.fail(["a set expression"]);
  }

  // ---- elements and type domains ----

  private parseElement(after: string): A.Element {
    const t = this.peek();
    const r = { start: this.startOf(t), end: this.endOf(t) };
    switch (this.kindOf(t)) {
      case T.String:
        this.next();
        return { kind: "String", raw: this.text(t), range: r };
      case T.Regex:
        this.next();
        return { kind: "Regex", raw: this.text(t), range: r };
      case T.Wildcard:
        this.next();
        return { kind: "Wildcard", raw: this.text(t), range: r };
      case T.Word: {
        const w = this.word(t);
        if (DOMAIN_WORDS.has(w)) return this.parseDomain();
        if (w === "inf") return this.parseNumber(after);
        break;
      }
      default:
        if (this.startsNumber(0)) return this.parseNumber(after);
    }
    const hint =
      this.kindOf(t) === T.Word && (this.isWord(t, "true") || this.isWord(t, "false"))
        ? "booleans in sets are written 'bool true' / 'bool false'; "
        : this.kindOf(t) === T.Datetime
          ? "datetimes in sets are written 'datetime d\"...\"'; "
          : null;
    return this.fail(['an element (string, r"regex", w"wildcard", number or type domain)'], after, hint);
  }

  /** Does the token `k` ahead start a number (`5`, `-1.5`, `inf`, `-inf`, `+inf`)? */
  private startsNumber(k: number): boolean {
    const t = this.peek(k);
    if (this.kindOf(t) === T.Int || this.kindOf(t) === T.Float) return true;
    if (this.isWord(t, "inf")) return true;
    if (this.kindOf(t) === T.Minus || this.kindOf(t) === T.Plus) {
      const u = this.peek(k + 1);
      return this.startOf(u) === this.endOf(t) && this.isWord(u, "inf");
    }
    return false;
  }

  private parseNumber(after: string): A.NumberLit {
    const t = this.peek();
    if (!this.startsNumber(0)) return this.fail(["a number"], after);
    this.next();
    if (this.kindOf(t) === T.Minus || this.kindOf(t) === T.Plus) this.next();
    return { kind: "Number", raw: this.code.slice(this.startOf(t), this.lastEnd), range: this.range(this.startOf(t)) };
  }

  /** In a `let` value: does domain word `w` start a type domain (rather than name a let)? */
  private domainFollows(w: string, k: number): boolean {
    const t = this.peek(k);
    switch (w) {
      case "bool":
        return this.isWord(t, "true") || this.isWord(t, "false");
      case "int":
      case "float":
        return this.kindOf(t) === T.RangeIncl || this.kindOf(t) === T.RangeExclRight || this.startsNumber(k);
      case "str":
        return this.kindOf(t) === T.String || this.isWord(t, "matching") || this.isWord(t, "like");
      default:
        return (
          this.kindOf(t) === T.Datetime ||
          this.kindOf(t) === T.String ||
          this.kindOf(t) === T.RangeIncl ||
          this.kindOf(t) === T.RangeExclRight ||
          this.startsNumber(k)
        );
    }
  }

  private parseDomain(): A.Domain {
    const t = this.next();
    const w = this.word(t);
    switch (w) {
      case "bool": {
        const b = this.peek();
        if (!this.isWord(b, "true") && !this.isWord(b, "false")) this.fail(["'true'", "'false'"], "'bool'");
        this.next();
        return { kind: "BoolDomain", value: this.isWord(b, "true"), range: this.range(this.startOf(t)) };
      }
      case "int":
      case "float": {
        const range = this.parseRange(w === "int" ? "'int'" : "'float'");
        return { kind: w === "int" ? "IntDomain" : "FloatDomain", spec: range, range: this.range(this.startOf(t)) };
      }
      case "str":
        return this.parseStrDomain(this.startOf(t));
      default:
        return { kind: "DatetimeDomain", spec: this.parseDatetimeSpec(), range: this.range(this.startOf(t)) };
    }
  }

  private parseStrDomain(start: number): A.StrDomain {
    const p = this.peek();
    const r = { start: this.startOf(p), end: this.endOf(p) };
    let pattern: A.StrDomain["pattern"];
    if (this.kindOf(p) === T.String) {
      this.next();
      pattern = { kind: "exact", value: { kind: "String", raw: this.text(p), range: r } };
    } else if (this.isWord(p, "matching")) {
      this.next();
      const re = this.expect(T.Regex, "'matching'");
      pattern = { kind: "matching", value: { kind: "Regex", raw: this.text(re), range: { start: this.startOf(re), end: this.endOf(re) } } };
    } else if (this.isWord(p, "like")) {
      this.next();
      const wc = this.expect(T.Wildcard, "'like'");
      pattern = { kind: "like", value: { kind: "Wildcard", raw: this.text(wc), range: { start: this.startOf(wc), end: this.endOf(wc) } } };
    } else return this.fail(["a string", "'matching'", "'like'"], "'str'");
    let length: A.RangeSpec | null = null;
    if (this.isWord(this.peek(), "length")) {
      this.next();
      length = this.parseRange("'length'");
    }
    return { kind: "StrDomain", pattern, length, range: this.range(start) };
  }

  private rangeOp(t: Tok): A.RangeOp | null {
    switch (this.kindOf(t)) {
      case T.RangeIncl:
        return "..";
      case T.RangeExclRight:
        return "..<";
      case T.RangeExclLeft:
        return "<..";
      case T.RangeExclBoth:
        return "<..<";
      default:
        return null;
    }
  }

  /** `n op n` | `..n` | `..<n` | `n..` | `n<..` | `n`. */
  private parseRange(after: string): A.RangeSpec {
    const t = this.peek();
    const op0 = this.rangeOp(t);
    if (op0 === ".." || op0 === "..<") {
      this.next();
      const high = this.parseNumber(QUOTED_RANGE_OPS[op0]);
      return { kind: "Range", low: null, op: op0, high, range: this.range(this.startOf(t)) };
    }
    if (!this.startsNumber(0)) return this.fail(["a number", "'..'", "'..<'"], after);
    const low = this.parseNumber(after);
    const op = this.rangeOp(this.peek());
    if (op === null) return { kind: "Range", low, op: null, high: null, range: this.range(this.startOf(t)) };
    this.next();
    if (this.startsNumber(0)) {
      const high = this.parseNumber(QUOTED_RANGE_OPS[op]);
      return { kind: "Range", low, op, high, range: this.range(this.startOf(t)) };
    }
    if (op === "..<" || op === "<..<") return this.fail(["a number"], `'${op}'`);
    return { kind: "Range", low, op, high: null, range: this.range(this.startOf(t)) };
  }

  private datetimeLit(d: Tok): A.DatetimeLit {
    return { kind: "Datetime", raw: this.text(d), range: this.tokRange(d) };
  }

  private parseDatetimeSpec(): A.DatetimeDomain["spec"] {
    const t = this.peek();
    const op0 = this.rangeOp(t);
    if (op0 === ".." || op0 === "..<") {
      this.next();
      const high = this.datetimeLit(this.expect(T.Datetime, QUOTED_RANGE_OPS[op0]));
      return { kind: "Range", low: null, op: op0, high, range: this.range(this.startOf(t)) };
    }
    if (this.kindOf(t) === T.Datetime) {
      this.next();
      const low = this.datetimeLit(t);
      const op = this.rangeOp(this.peek());
      if (op === null) return { kind: "Range", low, op: null, high: null, range: this.range(this.startOf(t)) };
      this.next();
      if (this.kindOf(this.peek()) === T.Datetime) {
        const high = this.datetimeLit(this.next());
        return { kind: "Range", low, op, high, range: this.range(this.startOf(t)) };
      }
      if (op === "..<" || op === "<..<") return this.fail(["a datetime string"], `'${op}'`);
      return { kind: "Range", low, op, high: null, range: this.range(this.startOf(t)) };
    }
    if (this.kindOf(t) === T.String) {
      this.next();
      return { kind: "String", raw: this.text(t), range: this.tokRange(t) };
    }
    if (this.startsNumber(0)) return this.parseNumber("'datetime'");
    return this.fail(['a d"datetime"', "a string", "a number", "'..'", "'..<'"], "'datetime'");
  }

  // ---- errors ----

  describe(t: Tok): string {
    if (this.kindOf(t) === T.EOF) return "end of input";
    if (this.kindOf(t) === T.Doc) return "doc comment (doc comments may only precede a declaration, member or statement)";
    let s = this.text(t);
    if (s.length > 30) s = s.slice(0, 27) + "...";
    return `'${s}'`;
  }

  message(f: Failure): string {
    const t: Tok = f.index;
    if (f.tooDeep) return `parentheses nested more than ${MAX_NESTING} levels deep`;
    if (this.kindOf(t) === T.Error) return this.tokens.errorMessage ?? "invalid input";
    const list = f.expected.length <= 1 ? (f.expected[0] ?? "something else") : `${f.expected.slice(0, -1).join(", ")} or ${f.expected[f.expected.length - 1]}`;
    return `${f.note ?? ""}expected ${list}${f.after ? ` after ${f.after}` : ""}, found ${this.describe(t)}`;
  }
}

/** Replaces the two top operands by the top operator applied to them. */
function reducePred(operands: A.Pred[], levels: number[]): void {
  const right = operands.pop() as A.Pred;
  const left = operands.pop() as A.Pred;
  const kind = levels.pop() === 0 ? "Or" : "And";
  operands.push({ kind, left, right, range: { start: left.range.start, end: right.range.end } });
}

function reduceSet(operands: A.SetExpr[], ops: A.SetBinaryOp[], levels: number[]): void {
  const right = operands.pop() as A.SetExpr;
  const left = operands.pop() as A.SetExpr;
  levels.pop();
  operands.push({ kind: "SetBinary", op: ops.pop() as A.SetBinaryOp, left, right, range: { start: left.range.start, end: right.range.end } });
}

/** "did you mean" note when a word looks like one of the keywords expected there. */
const ALL_KEYWORDS = new Set(KEYWORDS);

export function keywordHint(word: string | null, keywords: readonly string[]): string | null {
  // A real keyword in the wrong place is a plain syntax error, not a misspelling.
  if (word === null || ALL_KEYWORDS.has(word)) return null;
  for (const k of keywords) {
    if (word === k) continue;
    if (word.toLowerCase() === k) return `unknown keyword '${word}' (keywords are lower case): did you mean '${k}'? `;
  }
  for (const k of keywords) {
    if (word.length >= 3 && editDistanceAtMost1(word.toLowerCase(), k)) return `unknown keyword '${word}': did you mean '${k}'? `;
  }
  return null;
}

/** One insertion, deletion, substitution or adjacent swap apart (and not equal). */
function editDistanceAtMost1(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function isFailure(e: unknown): e is Failure {
  return typeof e === "object" && e !== null && "index" in e && "expected" in e;
}

/**
 * The result object. Its `tokens` are built only when read (the formatter and
 * minifier do): lexing again is cheaper than keeping one object per token, and
 * lets `parseSqrt` reuse one token buffer.
 */
function result(code: string, ok: boolean, ast: A.Program | null, diagnostics: PolicyIssue[], comments: Comment[]): ParseResult {
  let tokens: Token[] | null = null;
  return {
    ok,
    ast,
    diagnostics,
    get tokens(): Token[] {
      return (tokens ??= tokenObjects(lex(code).tokens));
    },
    comments,
  };
}

/** Token buffer reused by `parseSqrt` calls (the tree does not refer to it). */
let writer = new TokenWriter(1024);
/**
 * Seed of each parse's word table: the keywords, so trees use the literal strings.
 * (A table is not shared between parses: its words may be slices keeping a source alive.)
 */
const KEYWORD_TABLE = new Interner(KEYWORDS);
/** After a large input the buffer is dropped rather than kept holding its memory. */
const KEEP_WRITER_MAX = 1 << 16;

/** Parse SQRT source. Never throws on bad input: problems come back as diagnostics. */
export function parseSqrt(code: string): ParseResult {
  try {
    return parseWith(code);
  } finally {
    if (writer.kinds.length > KEEP_WRITER_MAX) writer = new TokenWriter(1024);
  }
}

function parseWith(code: string): ParseResult {
  const { tokens, comments } = lex(code, writer);
  const parser = new Parser(code, tokens, KEYWORD_TABLE.clone());
  try {
    const ast = parser.parseProgram();
    return result(code, true, ast, [], comments);
  } catch (e) {
    if (!isFailure(e)) throw e;
    const start = tokens.starts[e.index] as number;
    const { line, column } = new LineIndex(code).position(start);
    const length = tokens.kinds[e.index] === T.EOF ? 0 : Math.max(1, (tokens.ends[e.index] as number) - start);
    const issue: PolicyIssue = {
      severity: "error",
      code: e.tooDeep ? "nesting-too-deep" : "sqrt-syntax",
      message: parser.message(e),
      offset: start,
      length,
      line,
      column,
    };
    return result(code, false, null, [issue], comments);
  }
}
