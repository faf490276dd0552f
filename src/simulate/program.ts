/**
 * A SQRT program made ready to simulate: tool blocks with their priority, check rules and updates
 * by phase, and every expression flattened into postfix code. Flattening walks the tree with an
 * explicit stack and the evaluator runs the code with one, so chains of thousands of `or` / `|`
 * operands, deep parentheses and long `let` chains never grow the JS call stack.
 */
import type * as A from "../check/sqrt/ast.js";
import { parseSqrt } from "../check/sqrt/parser.js";
import { decodeString, compileElement, literalMask, parseNumber, rawBody, type Value } from "./patterns.js";
import { pythonRegex, type PythonRegex } from "./regex-readings.js";
import { MetaSet, type SetOp } from "./sets.js";
import { D } from "./decisions.js";

export type FieldBase = "@" | "@result" | "@session";

/** A `d"…"` literal on either side of `==` (compared as instants) or of `in`. */
export class DatetimeValue {
  constructor(
    readonly raw: string,
    readonly text: string,
  ) {}
}

export type Op =
  | { k: "set"; set: MetaSet; mask: number }
  | { k: "field"; base: FieldBase; field: A.MetaField; at: number }
  | { k: "arg-field"; arg: string; field: A.MetaField; at: number }
  | { k: "args"; agg: "union" | "intersect"; field: A.MetaField }
  | { k: "let"; index: number; at: number }
  | { k: "unknown"; role: Role; reason: string; at: number }
  | { k: "set-op"; op: SetOp; arity: number }
  | { k: "value"; base: "@result" | "@session"; at: number }
  | { k: "arg-value"; arg: string; at: number }
  | { k: "const"; value: Value | DatetimeValue; mask: number }
  | { k: "in"; at: number }
  | { k: "veq" }
  | { k: "cmp"; op: A.SetComparisonOp; at: number }
  | { k: "not" }
  | { k: "and" }
  | { k: "or" };

export interface Code {
  ops: Op[];
  /** Metadata fields read, directly or through lets, as `readBit` bits. */
  reads: number;
  /** Lets referenced directly. */
  lets: number[];
}

export type Role = "pred" | "set";

export interface Let {
  name: string;
  role: Role | "cyclic";
  code: Code;
}

export interface Update {
  target: { base: FieldBase; field: A.MetaField } | { arg: string; field: A.MetaField };
  op: A.AssignOp;
  value: Code;
  range: A.Range;
}

export interface Statement {
  /** `when P { … }` or a shorthand's `when`; null for an unconditional update. */
  condition: Code | null;
  updates: Update[];
  range: A.Range;
}

export type Phase = "before" | "result" | "after";

/**
 * Whose metadata a field base names in a phase (D4): `@session` the session's, `@result` the result's,
 * and a bare `@` the result's in a result block and the session's everywhere else. (A bare `@` in a
 * check rule means nothing; the evaluator says so before asking.)
 */
export function ownerOf(base: FieldBase, phase: Phase | "check"): "session" | "result" {
  return base === "@session" || (base === "@" && phase !== "result") ? "session" : "result";
}

export interface Rule {
  block: ToolBlock;
  /** Source order across the program. */
  order: number;
  hard: boolean;
  allow: boolean;
  /** Null for `always`. */
  condition: Code | null;
  /** Where the rule starts, doc comments excluded, and its text as written. */
  start: number;
  text: string;
}

export interface ToolBlock {
  /** Source order. */
  index: number;
  id: { kind: "string"; name: string } | { kind: "regex"; raw: string; regex: PythonRegex };
  idRange: A.Range;
  priority: number;
  rules: Rule[];
  phases: Record<Phase, Statement[]>;
}

export interface Program {
  code: string;
  lets: Let[];
  blocks: ToolBlock[];
  /** Remarks about the program itself, reported once (datetime literals that name no instant). */
  notes: string[];
}

type Child = { node: A.Expr | A.ValueOperand; role: Role | "value" };

const PRED_KINDS = new Set(["Or", "And", "Not", "ParenPred", "In", "ValueEq", "SetCmp"]);

class Compiler {
  readonly lets: Let[] = [];
  readonly notes: string[] = [];
  private readonly letIndex = new Map<string, number>();
  private readonly roles: Map<number, Role | "cyclic">;
  private letReads: number[] = [];

  constructor(program: A.Program) {
    const decls = program.declarations.filter((d): d is A.LetDecl => d.kind === "Let");
    // A name defined twice means its last definition, as a Python dict of lets would hold it.
    const byIndex = new Map<number, A.LetDecl>();
    for (const d of decls) {
      const i = this.letIndex.get(d.name.name) ?? this.letIndex.size;
      this.letIndex.set(d.name.name, i);
      byIndex.set(i, d);
    }
    this.roles = this.resolveRoles(byIndex);
    for (const [i, d] of byIndex) {
      const role = this.roles.get(i) ?? "cyclic";
      const code: Code =
        role === "cyclic"
          ? { ops: [{ k: "unknown", role: "pred", reason: `let ${d.name.name} refers to itself`, at: d.name.range.start }], reads: 0, lets: [] }
          : this.compile(d.value, role);
      this.lets[i] = { name: d.name.name, role, code };
    }
    this.closeReads();
  }

  /** Each let's role (condition or set), following `let a = b;` chains; a cycle of bare names has none. */
  private resolveRoles(byIndex: Map<number, A.LetDecl>): Map<number, Role | "cyclic"> {
    const roles = new Map<number, Role | "cyclic">();
    for (const start of byIndex.keys()) {
      const chain: number[] = [];
      let i: number | undefined = start;
      let role: Role | "cyclic" | undefined;
      while (role === undefined) {
        if (i === undefined || chain.includes(i)) role = "cyclic";
        else if (roles.has(i)) role = roles.get(i);
        else {
          chain.push(i);
          const v = (byIndex.get(i) as A.LetDecl).value;
          if (v.kind === "Ident") i = this.letIndex.get(v.name);
          else role = PRED_KINDS.has(v.kind) ? "pred" : "set";
        }
      }
      for (const c of chain) roles.set(c, role);
    }
    return roles;
  }

  /** Every let's reads, including those of the lets it references (iterative depth-first, memoized). */
  private closeReads(): void {
    const state = new Uint8Array(this.lets.length);
    const closed = this.lets.map((l) => l.code.reads);
    for (let root = 0; root < this.lets.length; root++) {
      if (state[root]) continue;
      const stack = [root];
      while (stack.length > 0) {
        const i = stack[stack.length - 1] as number;
        const refs = (this.lets[i] as Let).code.lets;
        if (state[i] === 0) {
          state[i] = 1;
          for (const r of refs) if (state[r] === 0) stack.push(r);
          continue;
        }
        stack.pop();
        if (state[i] === 2) continue;
        state[i] = 2;
        for (const r of refs) closed[i] = (closed[i] as number) | (closed[r] as number);
      }
    }
    this.letReads = closed;
    this.lets.forEach((l, i) => (l.code.reads = closed[i] as number));
  }

  /** A code outside the let table, with the reads of the lets it references. */
  withLetReads(code: Code): Code {
    for (const l of code.lets) code.reads |= this.letReads[l] as number;
    return code;
  }

  /** Postfix code for an expression expected to be a condition or a set. */
  compile(root: A.Expr, role: Role): Code {
    const code: Code = { ops: [], reads: 0, lets: [] };
    const stack: { child: Child; expanded: boolean }[] = [{ child: { node: root, role }, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { child: Child; expanded: boolean };
      if (!top.expanded) {
        top.expanded = true;
        const kids = children(top.child.node);
        for (let i = kids.length - 1; i >= 0; i--) stack.push({ child: kids[i] as Child, expanded: false });
        continue;
      }
      stack.pop();
      this.emit(top.child, code);
    }
    return code;
  }

  private emit({ node, role }: Child, code: Code): void {
    const ops = code.ops;
    switch (node.kind) {
      case "Or":
        return void ops.push({ k: "or" });
      case "And":
        return void ops.push({ k: "and" });
      case "Not":
        return void ops.push({ k: "not" });
      case "ParenPred":
      case "ParenSet":
        return;
      case "In":
        return void ops.push({ k: "in", at: node.range.start });
      case "ValueEq":
        return void ops.push({ k: "veq" });
      case "SetCmp":
        return void ops.push({ k: "cmp", op: node.op, at: node.range.start });
      case "SetBinary":
        return void ops.push({ k: "set-op", op: SET_OPS[node.op], arity: chainOperands(node).length });
      case "SetWith": {
        const el = compileElement(node.element);
        this.notes.push(...el.notes);
        // `with "*"` adds the universal set's marker: like a literal holding "*", it gives everything.
        const set = el.element === "*" ? MetaSet.UNIVERSAL : MetaSet.of([el.element]);
        ops.push({ k: "set", set, mask: el.mask });
        return void ops.push({ k: "set-op", op: node.op === "with" ? "|" : "-", arity: 2 });
      }
      case "SetLiteral":
        return void ops.push(this.literal(node.elements));
      case "Field":
        if (typeof node.base === "string") {
          code.reads |= readBit(node.base, node.field);
          return void ops.push({ k: "field", base: node.base, field: node.field, at: node.range.start });
        }
        return void ops.push({ k: "arg-field", arg: node.base.name, field: node.field, at: node.range.start });
      case "ArgsField":
        return void ops.push({ k: "args", agg: node.suffix === "intersect" ? "intersect" : "union", field: node.field });
      case "Aggregation":
        return void ops.push({ k: "args", agg: node.op, field: node.field });
      case "Ident":
        return void ops.push(this.reference(node, role as Role, code));
      case "Value":
        if (typeof node.base === "string") return void ops.push({ k: "value", base: node.base, at: node.range.start });
        return void ops.push({ k: "arg-value", arg: node.base.name, at: node.range.start });
      case "String":
        return void ops.push({ k: "const", value: decodeString(node.raw), mask: literalMask(node.raw) });
      case "Number":
        return void ops.push({ k: "const", value: parseNumber(node.raw), mask: 0 });
      case "Bool":
        return void ops.push({ k: "const", value: node.value, mask: 0 });
      case "Datetime":
        return void ops.push({ k: "const", value: new DatetimeValue(node.raw, rawBody(node.raw)), mask: 0 });
      default:
        // A domain where a set is expected (a `let` of a domain): the set of that one element.
        return void ops.push(this.literal([node as A.Domain]));
    }
  }

  /** A set literal: universal when it holds `"*"` (D1 when it holds more besides, which the plain reading would keep). */
  private literal(elements: readonly A.Element[]): Op {
    let mask = 0;
    const compiled = elements.map((e) => {
      const c = compileElement(e);
      this.notes.push(...c.notes);
      mask |= c.mask;
      return c.element;
    });
    if (compiled.includes("*")) return { k: "set", set: MetaSet.UNIVERSAL, mask: mask | (compiled.length > 1 ? D.universal : 0) };
    return { k: "set", set: MetaSet.of(compiled), mask };
  }

  private reference(id: A.Ident, role: Role, code: Code): Op {
    const index = this.letIndex.get(id.name);
    const at = id.range.start;
    if (index === undefined) return { k: "unknown", role, reason: `'${id.name}' is not defined by any let`, at };
    const letRole = this.roles.get(index) ?? "cyclic";
    if (letRole === "cyclic") return { k: "unknown", role, reason: `let ${id.name} refers to itself`, at };
    if (letRole !== role)
      return { k: "unknown", role, reason: `'${id.name}' is ${letRole === "pred" ? "a condition, not a set" : "a set, not a condition"}`, at };
    code.lets.push(index);
    return { k: "let", index, at };
  }
}

const BASES: readonly FieldBase[] = ["@", "@result", "@session"];
const FIELDS: readonly A.MetaField[] = ["producers", "consumers", "tags"];

/** The bit of `reads` for a field read. */
export function readBit(base: FieldBase, field: A.MetaField): number {
  return 1 << (BASES.indexOf(base) * 3 + FIELDS.indexOf(field));
}

const SET_OPS: Record<A.SetBinaryOp, SetOp> = { "|": "|", union: "|", "&": "&", intersect: "&", "-": "-", minus: "-", "^": "^", xor: "^" };

function children(node: A.Expr | A.ValueOperand): Child[] {
  switch (node.kind) {
    case "Or":
    case "And":
      return [
        { node: node.left, role: "pred" },
        { node: node.right, role: "pred" },
      ];
    case "Not":
      return [{ node: node.operand, role: "pred" }];
    case "ParenPred":
      return [{ node: node.inner, role: "pred" }];
    case "ParenSet":
      return [{ node: node.inner, role: "set" }];
    case "In":
      return [
        { node: node.value, role: "value" },
        { node: node.set, role: "set" },
      ];
    case "ValueEq":
      return [
        { node: node.left, role: "value" },
        { node: node.right, role: "value" },
      ];
    case "SetCmp":
      return node.right
        ? [
            { node: node.left, role: "set" },
            { node: node.right, role: "set" },
          ]
        : [{ node: node.left, role: "set" }];
    case "SetBinary":
      // A left-leaning chain of one operator (`a | b | c …`) is one n-ary operation.
      return chainOperands(node).map((n) => ({ node: n, role: "set" as const }));
    case "SetWith":
      return [{ node: node.set, role: "set" }];
    default:
      return [];
  }
}

/** The operands of a left-leaning chain of one set operator, leftmost first. */
function chainOperands(node: A.SetBinary): A.SetExpr[] {
  const op = SET_OPS[node.op];
  const rights: A.SetExpr[] = [];
  let n: A.SetExpr = node;
  while (n.kind === "SetBinary" && SET_OPS[n.op] === op) {
    rights.push(n.right);
    n = n.left;
  }
  return [n, ...rights.reverse()];
}

/** Offsets of a member as written, without its doc comments. */
function withoutDocs(code: string, node: { range: A.Range; docs: A.DocComment[] }): number {
  const last = node.docs.at(-1);
  if (!last) return node.range.start;
  let i = last.range.end;
  while (i < node.range.end && /\s/.test(code[i] as string)) i++;
  return i;
}

function toolId(id: A.ToolId): ToolBlock["id"] {
  return id.kind === "String" ? { kind: "string", name: decodeString(id.raw) } : { kind: "regex", raw: id.raw, regex: pythonRegex(rawBody(id.raw)) };
}

const SHORTHAND_PHASE: Record<A.ShorthandTarget, Phase> = { result: "result", session: "after", "session after": "after", "session before": "before" };

function compileUpdate(c: Compiler, u: A.Update): Update {
  const t = u.target;
  const target = typeof t.base === "string" ? { base: t.base, field: t.field } : { arg: t.base.name, field: t.field };
  return { target, op: u.op, value: c.withLetReads(c.compile(u.value, "set")), range: u.range };
}

function compileStatements(c: Compiler, body: readonly A.Stmt[]): Statement[] {
  return body.map((s) =>
    s.kind === "UpdateStmt"
      ? { condition: null, updates: [compileUpdate(c, s.update)], range: s.range }
      : { condition: c.withLetReads(c.compile(s.condition, "pred")), updates: s.updates.map((u) => compileUpdate(c, u)), range: s.range },
  );
}

/** Builds the program of a parsed SQRT text. */
function buildProgram(ast: A.Program, code: string): Program {
  const c = new Compiler(ast);
  const blocks: ToolBlock[] = [];
  let order = 0;
  for (const d of ast.declarations) {
    if (d.kind === "Let") continue;
    const block: ToolBlock = {
      index: blocks.length,
      id: toolId(d.id),
      idRange: d.id.range,
      priority: 0,
      rules: [],
      phases: { before: [], result: [], after: [] },
    };
    if (d.kind === "ToolShorthand") {
      if (d.priority) block.priority = parseNumber(d.priority.raw);
      const phase = SHORTHAND_PHASE[d.target ?? "result"];
      block.phases[phase].push({ condition: d.when ? c.withLetReads(c.compile(d.when, "pred")) : null, updates: [compileUpdate(c, d.update)], range: d.range });
    } else {
      for (const m of d.members) {
        if (m.kind === "Priority") block.priority = parseNumber(m.value.raw);
        else if (m.kind === "Check") {
          const hard = m.enforcement === "must" || m.enforcement === "hard";
          const condition = m.when ? c.withLetReads(c.compile(m.when, "pred")) : null;
          const start = withoutDocs(code, m);
          block.rules.push({ block, order: order++, hard, allow: m.outcome === "allow", condition, start, text: code.slice(start, m.range.end) });
        } else if (m.kind === "ResultBlock") block.phases.result.push(...compileStatements(c, m.body));
        else block.phases[m.timing].push(...compileStatements(c, m.body));
      }
    }
    blocks.push(block);
  }
  return { code, lets: c.lets, blocks, notes: [...new Set(c.notes)] };
}

const programs = new Map<string, Program | { error: string }>();

/** The program of a SQRT text (cached by text); an error when the text does not parse. */
export function programOf(code: string): Program | { error: string } {
  let p = programs.get(code);
  if (!p) {
    const parsed = parseSqrt(code);
    p = parsed.ast ? buildProgram(parsed.ast, code) : { error: parsed.diagnostics[0]?.message ?? "the policy code does not parse" };
    if (programs.size > 64) programs.clear();
    programs.set(code, p);
  }
  return p;
}
