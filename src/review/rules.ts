/**
 * Two SQRT programs compared rule by rule on the syntax tree (security-review.md, "Policy rules").
 * Positions, comments, doc comments, layout and the order of blocks are not compared, nor the
 * grammar's synonyms (`must`/`hard`, `should`/`soft`, `|`/`union`..., `session`/`session after`)
 * or redundant parentheses. Check rules are pooled per tool id over all its blocks and paired in
 * the spec's order; `priority`, `result`/`session` updates and `let`s are compared as sets.
 */
import { decodeString } from "../simulate/patterns.js";
import { parseSqrt, type SqrtAst as A } from "../check/index.js";
import { T, type Token } from "../check/sqrt/lexer.js";
import type { Span } from "../load/source.js";
import { classifyRule, type RuleFacts } from "./classes.js";
import { worse, type RuleChange, type RuleChangeKind } from "./model.js";
import { codeSpan, fieldSpan, toLocation, wireValue, type EnvSide } from "./provenance.js";

/** One program, parsed and indexed for comparison. */
export interface Program {
  code: string;
  tokens: Token[];
  lets: LetInfo[];
  /** By tool id (`String:"send_email"`), in order of first appearance. */
  tools: Map<string, ToolInfo>;
}

interface Item {
  /** Structural key: equal keys mean no change. */
  key: string;
  range: A.Range;
  /** Names the item reads (`let`s, possibly). */
  refs: Set<string>;
}

interface LetInfo extends Item {
  name: string;
}

interface CheckInfo extends Item {
  enforcement: "hard" | "soft";
  outcome: "allow" | "deny";
  condition: string;
}

interface UpdateInfo extends Item {
  /** `result`, `session before`, `session after`, or `->` for a one-line `tool ... -> ...;`. */
  target: string;
}

/** How a change names its tool. */
type ToolRef = Pick<RuleChange, "tool" | "toolIsRegex">;

interface ToolInfo {
  /** As reported: a string id's text, a regex id as written. */
  id: string;
  regex: boolean;
  /** Its first declaration: where to annotate what was removed from the tool. */
  first: A.Range;
  checks: CheckInfo[];
  priorities: { value: string; range: A.Range }[];
  updates: UpdateInfo[];
}

const SYNONYMS: Readonly<Record<string, string>> = { must: "hard", should: "soft", union: "|", intersect: "&", minus: "-", xor: "^" };

/** The tree without what is not compared: ranges, doc comments, spellings, parentheses. */
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (o.kind === "ParenPred" || o.kind === "ParenSet") return canon(o.inner);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    if (k === "range" || k === "docs") continue;
    if ((k === "op" || k === "enforcement") && typeof x === "string") out[k] = SYNONYMS[x] ?? x;
    else if (k === "target" && x === "session") out[k] = "session after";
    else out[k] = canon(x);
  }
  return out;
}

const keyOf = (v: unknown): string => JSON.stringify(canon(v));

/** Identifiers used as values (possibly `let`s); not argument names in `x.tags` / `x.value`. */
function refsOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {
    for (const x of v) refsOf(x, out);
    return out;
  }
  if (v === null || typeof v !== "object") return out;
  const o = v as Record<string, unknown>;
  if (o.kind === "Ident") {
    out.add((o as unknown as A.Ident).name);
    return out;
  }
  for (const [k, x] of Object.entries(o)) {
    if (k === "range" || k === "docs" || (k === "base" && (o.kind === "Field" || o.kind === "Value"))) continue;
    refsOf(x, out);
  }
  return out;
}

/** A tool's name as the service reads it (D14: only `\"` and `\\` are escapes), or a regex as written. */
function toolId(id: A.ToolId): string {
  return id.kind === "Regex" ? id.raw : decodeString(id.raw);
}

/** Parses and indexes a program; undefined when it does not parse. */
function indexProgram(code: string): Program | undefined {
  const parsed = parseSqrt(code);
  if (!parsed.ast) return undefined;
  const lets: LetInfo[] = [];
  const tools = new Map<string, ToolInfo>();
  const tool = (id: A.ToolId, first: A.Range): ToolInfo => {
    // By the name the service reads: two spellings of one name are one tool.
    const name = toolId(id);
    const k = `${id.kind}:${name}`;
    const known = tools.get(k);
    if (known) return known;
    const t: ToolInfo = { id: name, regex: id.kind === "Regex", first, checks: [], priorities: [], updates: [] };
    tools.set(k, t);
    return t;
  };
  const stmts = (t: ToolInfo, target: string, body: A.Stmt[]) => {
    for (const s of body) t.updates.push({ target, key: `${target}\0${keyOf(s)}`, range: s.range, refs: refsOf(s) });
  };
  for (const d of parsed.ast.declarations) {
    if (d.kind === "Let") {
      lets.push({ name: d.name.name, key: keyOf(d.value), range: d.range, refs: refsOf(d.value) });
      continue;
    }
    const t = tool(d.id, d.range);
    if (d.kind === "ToolShorthand") {
      const rest = { priority: d.priority, target: d.target, update: d.update, when: d.when };
      t.updates.push({ target: "->", key: `->\0${keyOf(rest)}`, range: d.range, refs: refsOf(rest) });
      continue;
    }
    for (const m of d.members) {
      if (m.kind === "Priority") t.priorities.push({ value: m.value.raw, range: m.range });
      else if (m.kind === "Check") {
        const enforcement = m.enforcement === "must" || m.enforcement === "hard" ? "hard" : "soft";
        const condition = keyOf(m.when);
        t.checks.push({ enforcement, outcome: m.outcome, condition, key: `${enforcement} ${m.outcome} ${condition}`, range: m.range, refs: refsOf(m.when) });
      } else if (m.kind === "ResultBlock") stmts(t, "result", m.body);
      else stmts(t, `session ${m.timing}`, m.body);
    }
  }
  return { code, tokens: parsed.tokens, lets, tools };
}

/** Index of the first token starting at or after `offset`. */
function firstToken(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid] as Token).start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where an item's code starts: its first token that is not a doc comment. */
function startOf(p: Program, range: A.Range): number {
  for (let i = firstToken(p.tokens, range.start); i < p.tokens.length; i++) {
    const t = p.tokens[i] as Token;
    if (t.kind !== T.Doc) return t.kind === T.EOF ? range.start : t.start;
  }
  return range.start;
}

/** The item's tokens, doc comments left out, one space wherever the source had a gap; and where its first token starts. */
function written(p: Program, range: A.Range): string {
  const parts: string[] = [];
  let prevEnd = -1;
  for (let i = firstToken(p.tokens, range.start); i < p.tokens.length; i++) {
    const t = p.tokens[i] as Token;
    if (t.kind === T.EOF || t.end > range.end) break;
    if (t.kind === T.Doc) continue;
    if (prevEnd >= 0 && t.start > prevEnd) parts.push(" ");
    parts.push(p.code.slice(t.start, t.end));
    prevEnd = t.end;
  }
  return parts.join("");
}

const bare = (text: string) => text.replace(/;$/, "");

function updateText(p: Program, u: UpdateInfo): string {
  const text = written(p, u.range);
  return u.target === "->" ? bare(text) : `${u.target} { ${text} }`;
}

/** Before and after side of one comparison, with a cache of indexed programs shared across environments. */
export interface RuleSides {
  before: EnvSide;
  after: EnvSide;
  programs: Map<string, Program | undefined>;
}

function programOf(sides: RuleSides, code: string): Program | undefined {
  if (!sides.programs.has(code)) sides.programs.set(code, indexProgram(code));
  return sides.programs.get(code);
}

const codeOf = (side: EnvSide): string => {
  const v = wireValue(side.sections, ["policy", "codes", "code"]);
  return typeof v === "string" ? v : "";
};
const isSqrt = (side: EnvSide): boolean => (wireValue(side.sections, ["policy", "codes", "language"]) ?? "sqrt") === "sqrt";

/**
 * Every rule-level change between the sides' policy code; undefined when the code differs but
 * cannot be compared rule by rule (Cedar, or code that does not parse, as `$overrides` can send).
 */
export function ruleChanges(sides: RuleSides): RuleChange[] | undefined {
  const [bCode, aCode] = [codeOf(sides.before), codeOf(sides.after)];
  if (bCode === aCode) return [];
  if (!isSqrt(sides.before) || !isSqrt(sides.after)) return undefined;
  const b = programOf(sides, bCode);
  const a = programOf(sides, aCode);
  if (!b || !a) return undefined;
  return new Comparison(sides, b, a).run();
}

class Comparison {
  private readonly out: RuleChange[] = [];
  /** `let`s whose definition changed (added, removed or different). */
  private readonly changedLets = new Set<string>();
  private readonly letRefs = new Map<string, Set<string>>();

  constructor(
    private readonly sides: RuleSides,
    private readonly b: Program,
    private readonly a: Program,
  ) {
    for (const l of [...b.lets, ...a.lets]) {
      const refs = this.letRefs.get(l.name) ?? new Set<string>();
      for (const r of l.refs) refs.add(r);
      this.letRefs.set(l.name, refs);
    }
  }

  run(): RuleChange[] {
    this.lets();
    const ids = [...this.a.tools.keys(), ...[...this.b.tools.keys()].filter((k) => !this.a.tools.has(k))];
    for (const id of ids) this.tool(this.b.tools.get(id), this.a.tools.get(id));
    return this.out;
  }

  /** Changed lets reachable from `refs` through let definitions, in name order. */
  private uses(refs: Set<string>): string[] {
    const seen = new Set<string>();
    const queue = [...refs];
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(...(this.letRefs.get(n) ?? []));
    }
    return [...seen].filter((n) => this.changedLets.has(n)).sort();
  }

  private lets(): void {
    const group = (p: Program) => {
      const m = new Map<string, LetInfo[]>();
      for (const l of p.lets) m.set(l.name, [...(m.get(l.name) ?? []), l]);
      return m;
    };
    const [bl, al] = [group(this.b), group(this.a)];
    const names = [...al.keys(), ...[...bl.keys()].filter((n) => !al.has(n))];
    for (const name of names) {
      const [xs, ys] = [bl.get(name) ?? [], al.get(name) ?? []];
      for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
        const [x, y] = [xs[i], ys[i]];
        if (x && y && x.key === y.key) continue;
        this.changedLets.add(name);
        this.emit({ change: "let" }, { name }, x, y, bare, undefined);
      }
    }
  }

  private tool(b: ToolInfo | undefined, a: ToolInfo | undefined): void {
    const id = (a ?? b) as ToolInfo;
    const extra: ToolRef = id.regex ? { tool: id.id, toolIsRegex: true } : { tool: id.id };
    const bp = (b?.priorities ?? []).map((p) => p.value).sort();
    const ap = (a?.priorities ?? []).map((p) => p.value).sort();
    if (bp.join() !== ap.join()) {
      const text = (ps: string[]) => (ps.length ? ps.map((v) => `priority ${v}`).join("; ") : null);
      const at = (p: Program, t: ToolInfo | undefined) => {
        const first = t?.priorities[0];
        return first ? startOf(p, first.range) : undefined;
      };
      this.push({ change: "priority" }, extra, text(bp), text(ap), at(this.b, b), at(this.a, a), a, []);
    }
    this.checks(b?.checks ?? [], a?.checks ?? [], extra, a);
    this.updates(b?.updates ?? [], a?.updates ?? [], extra, a);
  }

  /** Pairs check rules in the spec's order: identical; same outcome and condition; same outcome by position; the rest added or removed. */
  private checks(bs: CheckInfo[], as: CheckInfo[], extra: ToolRef, tool: ToolInfo | undefined): void {
    const partner = new Map<CheckInfo, CheckInfo>();
    const taken = new Set<CheckInfo>();
    const pass = (same: (x: CheckInfo, y: CheckInfo) => boolean) => {
      for (const y of as) {
        if (partner.has(y)) continue;
        const x = bs.find((c) => !taken.has(c) && same(c, y));
        if (x) {
          partner.set(y, x);
          taken.add(x);
        }
      }
    };
    pass((x, y) => x.key === y.key);
    pass((x, y) => x.outcome === y.outcome && x.condition === y.condition);
    pass((x, y) => x.outcome === y.outcome);
    for (const y of as) {
      const x = partner.get(y);
      const outcome = y.outcome;
      if (!x) this.emit({ change: "added", outcome }, extra, undefined, y, bare, tool);
      else if (x.condition !== y.condition) this.emit({ change: "condition", outcome }, extra, x, y, bare, tool);
      else if (x.enforcement !== y.enforcement) this.emit({ change: "enforcement", outcome, from: x.enforcement, to: y.enforcement }, extra, x, y, bare, tool);
      else if (this.uses(y.refs).length > 0) this.emit({ change: "condition", outcome }, extra, x, y, bare, tool);
    }
    for (const x of bs) if (!taken.has(x)) this.emit({ change: "removed", outcome: x.outcome }, extra, x, undefined, bare, tool);
  }

  /** Updates: identical ones match; the rest pair by position within their target, or are added or removed. */
  private updates(bs: UpdateInfo[], as: UpdateInfo[], extra: ToolRef, tool: ToolInfo | undefined): void {
    const taken = new Set<UpdateInfo>();
    const left: UpdateInfo[] = [];
    for (const y of as) {
      const x = bs.find((u) => !taken.has(u) && u.key === y.key);
      if (!x) left.push(y);
      else {
        taken.add(x);
        if (this.uses(y.refs).length > 0) this.emitUpdate(extra, x, y, tool);
      }
    }
    const rest = bs.filter((u) => !taken.has(u));
    for (const y of left) {
      const i = rest.findIndex((u) => u.target === y.target);
      const x = i >= 0 ? rest.splice(i, 1)[0] : undefined;
      this.emitUpdate(extra, x, y, tool);
    }
    for (const x of rest) this.emitUpdate(extra, x, undefined, tool);
  }

  private emitUpdate(extra: ToolRef, x: UpdateInfo | undefined, y: UpdateInfo | undefined, tool: ToolInfo | undefined): void {
    const text = (p: Program, u: UpdateInfo | undefined) => (u ? updateText(p, u) : null);
    const bStart = x ? startOf(this.b, x.range) : undefined;
    const aStart = y ? startOf(this.a, y.range) : undefined;
    this.push({ change: "update" }, extra, text(this.b, x), text(this.a, y), bStart, aStart, tool, y ? this.uses(y.refs) : []);
  }

  /** A change between two items (either may be missing), shown with `show`. */
  private emit(
    facts: RuleFacts,
    extra: { tool?: string; name?: string },
    x: Item | undefined,
    y: Item | undefined,
    show: (t: string) => string,
    tool: ToolInfo | undefined,
  ): void {
    const uses = y && facts.change !== "added" && facts.change !== "let" ? this.uses(y.refs) : [];
    const before = x ? show(written(this.b, x.range)) : null;
    const after = y ? show(written(this.a, y.range)) : null;
    this.push(facts, extra, before, after, x ? startOf(this.b, x.range) : undefined, y ? startOf(this.a, y.range) : undefined, tool, uses);
  }

  private push(
    facts: RuleFacts,
    extra: { tool?: string; name?: string },
    before: string | null,
    after: string | null,
    bStart: number | undefined,
    aStart: number | undefined,
    tool: ToolInfo | undefined,
    uses: string[],
  ): void {
    const { before: bSide, after: aSide } = this.sides;
    // A changed let makes every rule reading it a rule to look at again.
    const cls = uses.length > 0 ? worse(classifyRule(facts), "review") : classifyRule(facts);
    let location: Span | undefined;
    let annotate: Span | undefined;
    if (aStart !== undefined) location = codeSpan(aSide, aStart);
    else {
      if (bStart !== undefined) location = codeSpan(bSide, bStart);
      annotate = tool ? codeSpan(aSide, startOf(this.a, tool.first)) : fieldSpan(aSide, ["policy", "codes", "code"]);
    }
    const change: RuleChange = {
      kind: "rule",
      path: "policy.codes",
      ...extra,
      change: facts.change as RuleChangeKind,
      class: cls,
      before,
      after,
      ...(uses.length > 0 ? { uses } : {}),
      ...(location ? { location: toLocation(location, aStart === undefined ? "before" : undefined) } : {}),
      ...(annotate ? { annotateAt: toLocation(annotate) } : {}),
    };
    this.out.push(change);
  }
}
