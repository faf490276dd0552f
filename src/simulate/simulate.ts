/**
 * One case in one environment, step by step (policy-semantics.md, "One tool call, step by step"):
 * session before → internal policies → check rules → denied / undetermined / allowed → result
 * metadata (arguments' propagation, the test's own metadata, `__non_executable` (D9), `result`
 * blocks) → `session after`. Turns and attempts reset the session as `clear_session_meta` says;
 * branches are judged by `branching_meta_policy`.
 */
import type * as A from "../check/sqrt/ast.js";
import type { Argument as ArgumentInput, CallStep, MetaInput, Step } from "../schema/test-file.js";
import { decideBranch } from "./branching.js";
import { D, addReason, addTrace, decisionNames, emptyTrace, type Trace } from "./decisions.js";
import type { PreparedEnvironment } from "./environment.js";
import { UnknownField, UnknownValue, aggregate, evaluateCondition, evaluateSet, type Argument, type CallView, type Field, type Meta } from "./evaluate.js";
import type { Tri } from "./kleene.js";
import type { Value } from "./patterns.js";
import { ownerOf, readBit, type FieldBase, type Phase, type Program, type ToolBlock, type Update } from "./program.js";
import { resolve, type Candidate, type DecidedBy } from "./resolve.js";
import { defaultMeta, resets } from "./session.js";
import { MetaSet, absorbingOperand, setOp, setPredicate } from "./sets.js";

export type Verdict = "allow" | "deny" | "undetermined";

/** A set as printed: sorted, co-finite as `["*", "!a"]`, null when unknown. */
export interface PrintedMeta {
  producers: string[] | null;
  consumers: string[] | null;
  tags: string[] | null;
}

export interface DecidedByReport {
  kind: "rule" | "internal" | "default";
  text: string;
  file: string | null;
  line: number | null;
  column: number | null;
}

/** One step's outcome, as `--format json` prints it. */
export interface StepReport {
  index: number;
  kind: "call" | "branch" | "turn" | "attempt";
  tool: string | null;
  verdict: Verdict | null;
  expected: "allow" | "deny" | null;
  passed: boolean;
  decided_by: DecidedByReport | null;
  decisions: string[];
  reasons: string[];
  result_meta: PrintedMeta | null;
  session_meta: PrintedMeta;
}

/** An expectation that did not hold. */
export interface Failure {
  step: number;
  message: string;
  /** It failed because the simulation could not tell (an undetermined verdict or an unknown field). */
  undetermined: boolean;
}

export interface CaseOutcome {
  steps: StepReport[];
  failures: Failure[];
  /** Decided by the allow-list rule (step 3.4), by step index: the text output says so. */
  allowListed: Set<number>;
}

const FIELDS: readonly A.MetaField[] = ["producers", "consumers", "tags"];
const NON_EXECUTABLE = "__non_executable";
const LLM_BLOCKED = "__llm_blocked";

/** A named result: what the call returned, or why there is none (with the decisions that made it unknown). */
type Stored = { kind: "ran"; value: Value; meta: Meta } | { kind: "gone"; reason: string; mask: number };

/** A test's metadata (fields left out take their defaults). */
function metaFromInput(input: MetaInput | undefined): Meta {
  const d = defaultMeta();
  return {
    producers: input?.producers ? MetaSet.fromList(input.producers) : d.producers,
    consumers: input?.consumers ? MetaSet.fromList(input.consumers) : d.consumers,
    tags: input?.tags ? MetaSet.fromList(input.tags) : d.tags,
  };
}

/** `["a", "b"]`, for messages. */
function showSet(s: MetaSet): string {
  return `[${s
    .toList()
    .map((x) => JSON.stringify(x))
    .join(", ")}]`;
}

function printField(f: Field): string[] | null {
  return f instanceof MetaSet ? f.toList() : null;
}

function printMeta(m: Meta): PrintedMeta {
  return { producers: printField(m.producers), consumers: printField(m.consumers), tags: printField(m.tags) };
}

const UNKNOWN_META: PrintedMeta = { producers: null, consumers: null, tags: null };

/** Runs every step of a case; `notes` collects remarks for the run (deduplicated by the caller). */
export function runCase(env: PreparedEnvironment, steps: readonly Step[], session: MetaInput | undefined, notes: Set<string>): CaseOutcome {
  return new CaseRun(env, session, notes).run(steps);
}

class CaseRun {
  private readonly session: Meta;
  private readonly results = new Map<string, Stored>();
  private readonly failures: Failure[] = [];
  private readonly allowListed = new Set<number>();
  private readonly program: Program;

  constructor(
    private readonly env: PreparedEnvironment,
    initial: MetaInput | undefined,
    private readonly notes: Set<string>,
  ) {
    this.session = metaFromInput(initial);
    this.program = env.program ?? EMPTY_PROGRAM;
  }

  run(steps: readonly Step[]): CaseOutcome {
    const reports = steps.map((s, i) => {
      if (s === "turn" || s === "attempt") {
        if (resets(this.env.clearSessionMeta, s)) Object.assign(this.session, defaultMeta());
        return this.report(i, s, null, { verdict: null, expected: null, mask: 0, reasons: [], decidedBy: null, result: null });
      }
      return "call" in s ? this.call(s, i) : this.branch(s.branch, s.expect, i);
    });
    return { steps: reports, failures: this.failures, allowListed: this.allowListed };
  }

  private where = (offset: number): string => {
    const at = this.env.locate?.(offset);
    return at ? ` (${at.file}:${at.line}:${at.column})` : "";
  };

  private report(
    index: number,
    kind: StepReport["kind"],
    tool: string | null,
    r: {
      verdict: Verdict | null;
      expected: "allow" | "deny" | null;
      mask: number;
      reasons: string[];
      decidedBy: DecidedByReport | null;
      result: PrintedMeta | null;
    },
  ): StepReport {
    const passed = !this.failures.some((f) => f.step === index);
    return {
      index,
      kind,
      tool,
      verdict: r.verdict,
      expected: r.expected,
      passed,
      decided_by: r.decidedBy,
      decisions: decisionNames(r.mask),
      reasons: r.reasons,
      result_meta: r.result,
      session_meta: printMeta(this.session),
    };
  }

  private fail(step: number, message: string, undetermined: boolean): void {
    this.failures.push({ step, message, undetermined });
  }

  private checkVerdict(index: number, expected: "allow" | "deny" | undefined, verdict: Verdict): void {
    if (expected !== undefined && expected !== verdict) this.fail(index, `expected ${expected}, got ${verdict}`, verdict === "undetermined");
  }

  private checkMeta(index: number, what: "result" | "session", expected: MetaInput | undefined, actual: Meta | null): void {
    if (!expected) return;
    for (const field of FIELDS) {
      const want = expected[field];
      if (want === undefined) continue;
      const shown = showSet(MetaSet.fromList(want));
      if (!actual) {
        this.fail(index, `${what} ${field}: expected ${shown}, but the call was denied and has no result`, false);
        continue;
      }
      const got = actual[field];
      if (got instanceof UnknownField) this.fail(index, `${what} ${field}: expected ${shown}, got unknown (${got.reason})`, true);
      else if (!got.equals(MetaSet.fromList(want))) this.fail(index, `${what} ${field}: expected ${shown}, got ${showSet(got)}`, false);
    }
  }

  // ---------------------------------------------------------------- arguments

  private argument(input: ArgumentInput, trace: Trace): Argument {
    if (input === null || typeof input !== "object" || Array.isArray(input)) return { value: input as Value, meta: defaultMeta() };
    let value: Value | UnknownValue = null;
    let meta = defaultMeta();
    if (input.from !== undefined) {
      const names = typeof input.from === "string" ? [input.from] : input.from;
      const stored = names.map((n) => this.results.get(n) ?? { kind: "gone" as const, reason: `no earlier result is named "${n}"`, mask: 0 });
      const values = stored.map((s) => (s.kind === "ran" ? s.value : new UnknownValue(s.reason, s.mask)));
      const unknown = values.find((v): v is UnknownValue => v instanceof UnknownValue);
      value = names.length === 1 ? (values[0] as Value | UnknownValue) : (unknown ?? (values as Value[]));
      const metas = stored.map((s) => (s.kind === "ran" ? s.meta : unknownMeta(s.reason, s.mask)));
      meta = propagate(metas, trace);
    }
    if ("value" in input) value = (input.value ?? null) as Value;
    for (const field of FIELDS) {
      const given = input[field];
      if (given) meta[field] = MetaSet.fromList(given);
    }
    return { value, meta };
  }

  // ---------------------------------------------------------------- a tool call

  private call(step: CallStep, index: number): StepReport {
    const tool = step.call;
    const trace = emptyTrace();
    const args = new Map(Object.entries(step.args ?? {}).map(([name, a]) => [name, this.argument(a, trace)] as const));
    const view: CallView = { tool, args, session: this.session };
    const matched = matchBlocks(this.env, this.program, tool, this.where);

    this.runPhase("before", matched, view, trace);
    const resolution = resolve(this.candidates(matched, view), { defaultAllow: this.env.defaultAllow, hardDefault: this.env.hardDefault });
    const { verdict } = resolution;
    let result: PrintedMeta | null = null;
    let finalMeta: Meta | null = null;
    if (verdict === "undetermined") {
      const why = `step ${index} (call ${tool}) was undetermined`;
      this.forgetSessionWrites(matched, why, resolution.mask);
      if (step.result?.as) this.results.set(step.result.as, { kind: "gone", reason: `result "${step.result.as}" is unknown: ${why}`, mask: resolution.mask });
      finalMeta = unknownMeta(`the verdict is undetermined`, resolution.mask);
      result = UNKNOWN_META;
    } else if (verdict === "deny") {
      if (step.result?.as)
        this.results.set(step.result.as, {
          kind: "gone",
          reason: `result "${step.result.as}" does not exist: step ${index} (call ${tool}) was denied`,
          mask: 0,
        });
    } else {
      finalMeta = this.runCall(step, view, matched, trace);
      if (step.result?.as) this.results.set(step.result.as, { kind: "ran", value: (view.result?.value ?? null) as Value, meta: finalMeta });
      result = printMeta(finalMeta);
    }
    if (resolution.decidedBy?.kind === "rule" && resolution.decidedBy.allowList) this.allowListed.add(index);

    this.checkVerdict(index, step.expect, verdict);
    this.checkMeta(index, "result", step.expect_result, finalMeta);
    this.checkMeta(index, "session", step.expect_session, this.session);
    const reasons = [...resolution.reasons];
    for (const r of trace.reasons) if (!reasons.includes(r)) reasons.push(r);
    return this.report(index, "call", tool, {
      verdict,
      expected: step.expect ?? null,
      mask: resolution.mask | trace.mask,
      reasons,
      decidedBy: this.decidedBy(resolution.decidedBy),
      result,
    });
  }

  /** Step 5: an allowed call's result metadata, `result` blocks, then `session after` blocks. */
  private runCall(step: CallStep, view: CallView, matched: MatchedBlocks, trace: Trace): Meta {
    const args = [...view.args.values()].map((a) => a.meta);
    const propagated = propagate(args, trace);
    let meta = propagated;
    const given = step.result?.meta;
    if (given) {
      const wrapped = metaFromInput(given);
      const combine = step.result?.combine ?? "merge";
      if (combine === "replace") meta = wrapped;
      else if (combine === "merge") meta = propagate([propagated, wrapped], trace);
    }
    meta = { ...meta };
    let tagged = false;
    if (this.env.nonExecutableMemory && meta.tags instanceof MetaSet) {
      meta.tags = setOp("|", meta.tags, MetaSet.of([NON_EXECUTABLE]), trace);
      tagged = true;
    }
    view.result = { value: (step.result?.value ?? null) as Value, meta };
    const touched = this.runPhase("result", matched, view, trace);
    // D9: the tag is added before the `result` blocks, which saw or changed the tags.
    if (tagged && touched.has("result.tags")) trace.mask |= D.nonExecutableTiming;
    this.runPhase("after", matched, view, trace);
    return meta;
  }

  private candidates(matched: MatchedBlocks, view: CallView): Candidate[] {
    const out: Candidate[] = [];
    for (const m of matched.all) {
      for (const rule of m.block.rules) {
        const cond = rule.condition ? evaluateCondition(this.program, rule.condition, view, "check", this.where) : { value: true as Tri, trace: emptyTrace() };
        const trace = cond.trace;
        if (m.matches === null) addTrace(trace, m.trace);
        out.push({
          rule,
          hard: rule.hard,
          allow: rule.allow,
          matches: m.matches,
          block: m.block.index,
          condition: cond.value,
          trace,
          priority: m.block.priority,
          order: rule.order,
        });
      }
    }
    const level = this.env.llmBlockedTag;
    if (level && view.tool === "parse_with_ai") {
      const trace = emptyTrace();
      let blocked: Tri = false;
      for (const a of view.args.values()) {
        const tags = a.meta.tags;
        if (tags instanceof UnknownField) {
          addTrace(trace, { mask: tags.mask, reasons: [tags.reason] });
          blocked = blocked === true ? true : null;
        } else if (setPredicate(tags, tags, (t) => t.hasElement(LLM_BLOCKED), trace)) blocked = true;
      }
      out.push({
        internal: "enable_llm_blocked_tag",
        hard: level === "hard",
        allow: false,
        matches: true,
        block: -1,
        condition: blocked,
        trace,
        priority: 0,
        order: -1,
      });
    }
    return out;
  }

  private decidedBy(d: DecidedBy | null): DecidedByReport | null {
    if (!d) return null;
    if (d.kind === "default") return { kind: "default", text: "default_allow", file: null, line: null, column: null };
    if (d.kind === "internal") return { kind: "internal", text: d.candidate.internal ?? "", file: null, line: null, column: null };
    const rule = d.candidate.rule;
    if (!rule) return null;
    const at = this.env.locate?.(rule.start);
    return { kind: "rule", text: rule.text, file: at?.file ?? null, line: at?.line ?? null, column: at?.column ?? null };
  }

  // ---------------------------------------------------------------- updates

  /**
   * Runs one phase's updates of the matching blocks, by block priority (highest first), ties in
   * source order (D5); statements in source order, each seeing the ones before (D6). Returns the
   * fields read or written (`result.tags`, ...).
   */
  private runPhase(phase: Phase, matched: MatchedBlocks, view: CallView, trace: Trace): Set<string> {
    const blocks = matched.phases[phase];
    const touched = new Set<string>();
    if (blocks.length === 0) return touched;
    const writes = new Map<string, { blocks: Set<number>; ops: Set<A.AssignOp> }>();
    for (const m of blocks) {
      for (const stmt of m.block.phases[phase]) {
        if (m.matches === null) {
          const why = `${m.trace.reasons[0] ?? "the block may or may not match"}`;
          for (const u of stmt.updates)
            this.forget(
              u,
              phase,
              view,
              `the update at${this.where(u.range.start) || " its block"} belongs to a block that may not match: ${why}`,
              m.trace.mask,
              writes,
              m.block.index,
              touched,
            );
          addTrace(trace, m.trace);
          continue;
        }
        if (stmt.condition) {
          const reads = fieldKeys(stmt.condition.reads, phase);
          for (const k of reads) touched.add(k);
          trace.mask |= orderMask(reads, undefined, undefined, m.block.index, writes);
          const cond = evaluateCondition(this.program, stmt.condition, view, phase, this.where);
          addTrace(trace, cond.trace);
          if (cond.value === false) continue;
          if (cond.value === null) {
            const why = cond.trace.reasons[0] ?? "unknown";
            for (const u of stmt.updates)
              this.forget(
                u,
                phase,
                view,
                `the update${this.where(u.range.start)} ran under an unknown condition: ${why}`,
                cond.trace.mask,
                writes,
                m.block.index,
                touched,
              );
            continue;
          }
        }
        for (const u of stmt.updates) this.apply(u, phase, view, trace, writes, m.block.index, touched);
      }
    }
    return touched;
  }

  /** Where an update writes, or why it writes nothing. */
  private target(u: Update, phase: Phase, view: CallView): { meta: Meta; key: string; field: A.MetaField } | undefined {
    const t = u.target;
    if ("arg" in t) {
      this.notes.add(`updates of an argument's metadata (${t.arg}.${t.field}${this.where(u.range.start)}) are not simulated`);
      return undefined;
    }
    const owner = ownerOf(t.base, phase);
    if (owner === "result" && !view.result) {
      this.notes.add(`@result does not exist in a session before block: the update${this.where(u.range.start)} does nothing (D4)`);
      return undefined;
    }
    return { meta: owner === "session" ? view.session : (view.result as { meta: Meta }).meta, key: `${owner}.${t.field}`, field: t.field };
  }

  private apply(u: Update, phase: Phase, view: CallView, trace: Trace, writes: Writes, block: number, touched: Set<string>): void {
    const target = this.target(u, phase, view);
    if (!target) return;
    const reads = fieldKeys(u.value.reads, phase);
    for (const k of reads) touched.add(k);
    touched.add(target.key);
    trace.mask |= orderMask(reads, target.key, u, block, writes);
    const value = evaluateSet(this.program, u.value, view, phase, this.where);
    addTrace(trace, value.trace);
    const current = target.meta[target.field];
    let next: Field;
    if (!value.value)
      next = new UnknownField(`the value of the update${this.where(u.range.start)} is unknown: ${value.trace.reasons[0] ?? "unknown"}`, value.trace.mask);
    else if (u.op === "=") next = value.value;
    // An unknown field stays unknown unless the update decides it alone (`|= U`, `&= {}`, `-= U`).
    else if (current instanceof UnknownField) next = absorbingOperand(OPS[u.op], value.value, "right") ?? current;
    else next = setOp(OPS[u.op], current, value.value, trace);
    target.meta[target.field] = next;
    record(writes, target.key, block, u.op);
  }

  private forget(u: Update, phase: Phase, view: CallView, reason: string, mask: number, writes: Writes, block: number, touched: Set<string>): void {
    const target = this.target(u, phase, view);
    if (!target) return;
    touched.add(target.key);
    target.meta[target.field] = new UnknownField(reason, mask);
    record(writes, target.key, block, u.op);
  }

  /** An undetermined call may have run: the session fields its later blocks write become unknown. */
  private forgetSessionWrites(matched: MatchedBlocks, why: string, mask: number): void {
    for (const m of matched.all) {
      for (const phase of ["result", "after"] as const) {
        for (const stmt of m.block.phases[phase]) {
          for (const u of stmt.updates) {
            const t = u.target;
            if ("arg" in t || ownerOf(t.base, phase) !== "session") continue;
            this.session[t.field] = new UnknownField(`the session's ${t.field} are unknown: ${why}`, mask);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- branches

  private branch(input: ArgumentInput, expect: "allow" | "deny" | undefined, index: number): StepReport {
    const trace = emptyTrace();
    const arg = this.argument(input, trace);
    const policy = this.env.branching;
    let verdict: Verdict = "allow";
    let decidedBy: DecidedByReport;
    if (!policy) {
      this.notes.add("branching is not checked outside policy.mode custom: every branch is allowed");
      decidedBy = { kind: "default", text: "branching is checked only in policy.mode custom", file: null, line: null, column: null };
    } else {
      const b = decideBranch(arg.meta, policy);
      verdict = b.verdict;
      addTrace(trace, b.trace);
      decidedBy = { kind: "internal", text: "branching_meta_policy", file: null, line: null, column: null };
    }
    this.checkVerdict(index, expect, verdict);
    return this.report(index, "branch", null, {
      verdict,
      expected: expect ?? null,
      mask: trace.mask,
      reasons: trace.reasons,
      decidedBy: verdict === "undetermined" ? null : decidedBy,
      result: null,
    });
  }
}

const EMPTY_PROGRAM: Program = { code: "", lets: [], blocks: [], notes: [] };

const OPS = { "|=": "|", "&=": "&", "-=": "-", "^=": "^" } as const;

type Writes = Map<string, { blocks: Set<number>; ops: Set<A.AssignOp> }>;

function record(writes: Writes, key: string, block: number, op: A.AssignOp): void {
  let w = writes.get(key);
  if (!w) writes.set(key, (w = { blocks: new Set(), ops: new Set() }));
  w.blocks.add(block);
  w.ops.add(op);
}

/**
 * D6 when a statement reads or rewrites a field an earlier statement of its block wrote in this
 * phase; D5 when it reads one another block wrote, or rewrites it other than with the same
 * order-free operator (`|=` after `|=`, ...).
 */
function orderMask(reads: readonly string[], target: string | undefined, u: Update | undefined, block: number, writes: Writes): number {
  let mask = 0;
  for (const k of reads) {
    const w = writes.get(k);
    if (!w) continue;
    if (w.blocks.has(block)) mask |= D.statementOrder;
    if (w.blocks.size > (w.blocks.has(block) ? 1 : 0)) mask |= D.blockOrder;
  }
  if (target && u) {
    const w = writes.get(target);
    if (w) {
      if (w.blocks.has(block)) mask |= D.statementOrder;
      const others = w.blocks.size > (w.blocks.has(block) ? 1 : 0);
      if (others && !(u.op !== "=" && w.ops.size === 1 && w.ops.has(u.op))) mask |= D.blockOrder;
    }
  }
  return mask;
}

const READ_BASES: readonly FieldBase[] = ["@", "@result", "@session"];

/** The fields (`result.tags`, `session.tags`, ...) a code's reads name in a phase. */
function fieldKeys(reads: number, phase: Phase | "check"): string[] {
  const out: string[] = [];
  if (reads === 0) return out;
  for (const base of READ_BASES) {
    for (const field of FIELDS) {
      if (!(reads & readBit(base, field))) continue;
      out.push(`${ownerOf(base, phase)}.${field}`);
    }
  }
  return out;
}

function aggregateInto(fields: readonly Field[], op: "|" | "&", trace: Trace): Field {
  const r = aggregate(fields, op);
  addTrace(trace, r.trace);
  return r.value;
}

/** Propagation: union of producers, intersection of consumers, union of tags. */
function propagate(metas: readonly Meta[], trace: Trace): Meta {
  return {
    producers: aggregateInto(
      metas.map((m) => m.producers),
      "|",
      trace,
    ),
    consumers: aggregateInto(
      metas.map((m) => m.consumers),
      "&",
      trace,
    ),
    tags: aggregateInto(
      metas.map((m) => m.tags),
      "|",
      trace,
    ),
  };
}

function unknownMeta(reason: string, mask: number): Meta {
  const f = new UnknownField(reason, mask);
  return { producers: f, consumers: f, tags: f };
}

interface Matched {
  block: ToolBlock;
  /** Null: a tool-id regex whose readings disagree for this name (D2). */
  matches: Tri;
  trace: Trace;
}

/** The blocks matching a tool name, and per phase those with updates, in update order (priority, then source). */
interface MatchedBlocks {
  all: Matched[];
  phases: Record<Phase, Matched[]>;
}

const matchCaches = new WeakMap<PreparedEnvironment, Map<string, MatchedBlocks>>();

/** The blocks whose tool id matches the name (cached per environment and name). */
function matchBlocks(env: PreparedEnvironment, program: Program, tool: string, where: (offset: number) => string): MatchedBlocks {
  let cache = matchCaches.get(env);
  if (!cache) matchCaches.set(env, (cache = new Map()));
  const cached = cache.get(tool);
  if (cached) return cached;
  const all: Matched[] = [];
  for (const block of program.blocks) {
    if (block.id.kind === "string") {
      if (block.id.name === tool) all.push({ block, matches: true, trace: emptyTrace() });
      continue;
    }
    const r = block.id.regex.test(tool);
    if (r.known) {
      if (r.value) all.push({ block, matches: true, trace: emptyTrace() });
      continue;
    }
    const trace: Trace = { mask: D.regexReadings, reasons: [] };
    addReason(trace, `D2: tool id ${block.id.raw}${where(block.idRange.start)} against "${tool}": ${r.why}`);
    all.push({ block, matches: null, trace });
  }
  const inOrder = [...all].sort((a, b) => b.block.priority - a.block.priority || a.block.index - b.block.index);
  const phase = (p: Phase) => inOrder.filter((m) => m.block.phases[p].length > 0);
  const out = { all, phases: { before: phase("before"), result: phase("result"), after: phase("after") } };
  cache.set(tool, out);
  return out;
}
