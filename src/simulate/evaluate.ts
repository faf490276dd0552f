/**
 * Runs a program's postfix code over one call: conditions give true / false / unknown, set
 * expressions give a set or unknown. Every stack slot carries what its value relied on (decisions
 * and reasons), and `and` / `or` keep only the operands that decided them, so a verdict lists a
 * D3 only when the missing argument mattered.
 */
import type * as A from "../check/sqrt/ast.js";
import { D, type Trace } from "./decisions.js";
import { not, type Tri } from "./kleene.js";
import { instantOf, parseInstant } from "./instants.js";
import type { Value } from "./patterns.js";
import { DatetimeValue, ownerOf, type Code, type Program } from "./program.js";
import { MetaSet, absorbingOperand, overlaps, setOp, setPredicate, subsetOf, valueIn, type SetOp } from "./sets.js";

/** A metadata field whose content the simulation cannot know, and why. */
export class UnknownField {
  constructor(
    readonly reason: string,
    readonly mask: number,
  ) {}
}

export type Field = MetaSet | UnknownField;

export interface Meta {
  producers: Field;
  consumers: Field;
  tags: Field;
}

/** A value the simulation cannot know (an argument taken from an undetermined result). */
export class UnknownValue {
  constructor(
    readonly reason: string,
    readonly mask: number,
  ) {}
}

export interface Argument {
  value: Value | UnknownValue;
  meta: Meta;
}

/** Where an expression is evaluated: a check rule, or an update in one of the three phases. */
export type Context = "check" | "before" | "result" | "after";

export interface CallView {
  tool: string;
  args: ReadonlyMap<string, Argument>;
  session: Meta;
  /** The result, in `result` and `session after` blocks. */
  result?: { value: Value | UnknownValue; meta: Meta };
}

/** Text naming a place in the policy code, for reasons: ` (file:line:col)` or empty. */
export type Where = (offset: number) => string;

const UNKNOWN_SET = Symbol("unknown set");
const UNKNOWN_VALUE = Symbol("unknown value");
type Slot = MetaSet | Tri | Value | DatetimeValue | typeof UNKNOWN_SET | typeof UNKNOWN_VALUE;

export interface Evaluation<T> {
  value: T;
  trace: Trace;
}

/** The field an update or a read names, in context; a string reason when there is none. */
function fieldOf(base: "@" | "@result" | "@session", field: A.MetaField, context: Context, call: CallView): Field | { none: string; mask: number } {
  if (base === "@" && context === "check") return { none: `@${field} means nothing outside a result or session block`, mask: D.noResultYet };
  if (ownerOf(base, context) === "session") return call.session[field];
  if (call.result && (context === "result" || context === "after")) return call.result.meta[field];
  return { none: "@result does not exist before the call runs", mask: D.noResultYet };
}

class Machine {
  private readonly vals: Slot[] = [];
  private readonly masks: number[] = [];
  private readonly reasons: (string[] | null)[] = [];
  // Created on the first `let`: most conditions use none.
  private memo: Map<number, { value: Slot; mask: number; reasons: string[] | null }> | undefined;
  private active: Set<number> | undefined;

  constructor(
    private readonly program: Program,
    private readonly call: CallView,
    private readonly context: Context,
    private readonly where: Where,
  ) {}

  private push(value: Slot, mask: number, reasons: string[] | null): void {
    this.vals.push(value);
    this.masks.push(mask);
    this.reasons.push(reasons);
  }

  private pop(): { value: Slot; mask: number; reasons: string[] | null } {
    return { value: this.vals.pop() as Slot, mask: this.masks.pop() as number, reasons: this.reasons.pop() as string[] | null };
  }

  private pushUnknown(sentinel: Slot, reason: string, mask: number): void {
    this.push(sentinel, mask, [reason]);
  }

  run(code: Code): { value: Slot; trace: Trace } {
    const frames: { ops: Code["ops"]; pc: number; let: number }[] = [{ ops: code.ops, pc: 0, let: -1 }];
    while (frames.length > 0) {
      const f = frames[frames.length - 1] as (typeof frames)[number];
      if (f.pc >= f.ops.length) {
        frames.pop();
        if (f.let >= 0 && this.memo && this.active) {
          this.active.delete(f.let);
          const n = this.vals.length - 1;
          this.memo.set(f.let, { value: this.vals[n] as Slot, mask: this.masks[n] as number, reasons: this.reasons[n] ?? null });
        }
        continue;
      }
      const op = f.ops[f.pc++] as Code["ops"][number];
      switch (op.k) {
        case "let": {
          this.memo ??= new Map();
          this.active ??= new Set();
          const hit = this.memo.get(op.index);
          if (hit) this.push(hit.value, hit.mask, hit.reasons);
          else if (this.active.has(op.index)) {
            const l = this.program.lets[op.index];
            this.pushUnknown(l?.role === "pred" ? null : UNKNOWN_SET, `let ${l?.name} refers to itself${this.where(op.at)}`, 0);
          } else {
            this.active.add(op.index);
            frames.push({ ops: (this.program.lets[op.index] as { code: Code }).code.ops, pc: 0, let: op.index });
          }
          break;
        }
        case "unknown":
          this.pushUnknown(op.role === "pred" ? null : UNKNOWN_SET, `${op.reason}${this.where(op.at)}`, 0);
          break;
        case "set":
          this.push(op.set, op.mask, null);
          break;
        case "field": {
          const got = fieldOf(op.base, op.field, this.context, this.call);
          this.pushField(got, op.at);
          break;
        }
        case "arg-field": {
          const arg = this.call.args.get(op.arg);
          if (arg) this.pushField(arg.meta[op.field], op.at);
          else this.pushUnknown(UNKNOWN_SET, this.missing(op.arg, op.at), D.missingArgument);
          break;
        }
        case "args": {
          const r = aggregate(
            [...this.call.args.values()].map((a) => a.meta[op.field]),
            op.agg === "union" ? "|" : "&",
          );
          this.push(r.value instanceof UnknownField ? UNKNOWN_SET : r.value, r.trace.mask, r.trace.reasons.length > 0 ? r.trace.reasons : null);
          break;
        }
        case "set-op":
          this.setOps(op.op, op.arity);
          break;
        case "value":
          if (op.base === "@session") this.push(null, 0, null);
          else if (this.call.result && (this.context === "result" || this.context === "after")) this.pushValue(this.call.result.value);
          else this.pushUnknown(UNKNOWN_VALUE, `D4: @result does not exist before the call runs${this.where(op.at)}`, D.noResultYet);
          break;
        case "arg-value": {
          const arg = this.call.args.get(op.arg);
          if (arg) this.pushValue(arg.value);
          else this.pushUnknown(UNKNOWN_VALUE, this.missing(op.arg, op.at), D.missingArgument);
          break;
        }
        case "const":
          this.push(op.value, op.mask, null);
          break;
        case "in":
          this.valueIn(op.at);
          break;
        case "veq": {
          const b = this.pop();
          const a = this.pop();
          const unknown = a.value === UNKNOWN_VALUE || b.value === UNKNOWN_VALUE;
          this.push(
            unknown ? null : valuesEqual(a.value as Value | DatetimeValue, b.value as Value | DatetimeValue),
            a.mask | b.mask,
            merge(a.reasons, b.reasons),
          );
          break;
        }
        case "cmp":
          this.compare(op.op, op.at);
          break;
        case "not": {
          const a = this.pop();
          this.push(not(a.value as Tri), a.mask, a.reasons);
          break;
        }
        case "and":
        case "or":
          this.logic(op.k);
          break;
      }
    }
    const top = this.pop();
    return { value: top.value, trace: { mask: top.mask, reasons: top.reasons ?? [] } };
  }

  private missing(arg: string, at: number): string {
    return `D3: ${this.call.tool} has no argument "${arg}"${this.where(at)}`;
  }

  private pushField(got: Field | { none: string; mask: number }, at: number): void {
    if (got instanceof MetaSet) this.push(got, 0, null);
    else if (got instanceof UnknownField) this.pushUnknown(UNKNOWN_SET, got.reason, got.mask);
    else this.pushUnknown(UNKNOWN_SET, `D4: ${got.none}${this.where(at)}`, got.mask);
  }

  private pushValue(v: Value | UnknownValue): void {
    if (v instanceof UnknownValue) this.pushUnknown(UNKNOWN_VALUE, v.reason, v.mask);
    else this.push(v, 0, null);
  }

  /** `s1 op s2 op … sn`, left to right; a chain of finite unions or xors is built in one pass. */
  private setOps(op: SetOp, arity: number): void {
    const first = this.vals.length - arity;
    const operands: Slot[] = this.vals.slice(first);
    if (arity > 2 && (op === "|" || op === "^") && operands.every((v) => v instanceof MetaSet && !v.cofinite)) {
      const mask = this.masks.slice(first).reduce((x, y) => x | y, 0);
      const reasons = this.reasons.slice(first).reduce<string[] | null>((x, y) => merge(x, y), null);
      this.vals.length = this.masks.length = this.reasons.length = first;
      return this.push(op === "|" ? MetaSet.unionAll(operands as MetaSet[]) : MetaSet.xorAll(operands as MetaSet[]), mask, reasons);
    }
    // Fold from the left: move the operands off the stack, then combine them pairwise.
    const slots = operands.map((value, i) => ({ value: value as Slot, mask: this.masks[first + i] as number, reasons: this.reasons[first + i] ?? null }));
    this.vals.length = this.masks.length = this.reasons.length = first;
    const head = slots[0] as (typeof slots)[number];
    this.push(head.value, head.mask, head.reasons);
    for (const s of slots.slice(1)) {
      this.push(s.value, s.mask, s.reasons);
      this.setOp(op);
    }
  }

  private setOp(op: SetOp): void {
    const b = this.pop();
    const a = this.pop();
    const known = (x: Slot): x is MetaSet => x instanceof MetaSet;
    if (known(a.value) && known(b.value)) {
      const trace: Trace = { mask: a.mask | b.mask, reasons: [] };
      const r = setOp(op, a.value, b.value, trace);
      return this.push(r, trace.mask, merge(a.reasons, b.reasons));
    }
    // What an unknown operand cannot change.
    const fromA = known(a.value) ? absorbingOperand(op, a.value, "left") : undefined;
    if (fromA) return this.push(fromA, a.mask, a.reasons);
    const fromB = known(b.value) ? absorbingOperand(op, b.value, "right") : undefined;
    if (fromB) return this.push(fromB, b.mask, b.reasons);
    this.push(UNKNOWN_SET, a.mask | b.mask, merge(a.reasons, b.reasons));
  }

  private valueIn(at: number): void {
    const s = this.pop();
    const v = this.pop();
    const mask = s.mask | v.mask;
    const reasons = merge(v.reasons, s.reasons);
    if (!(s.value instanceof MetaSet)) return this.push(null, mask, reasons);
    if (v.value === UNKNOWN_VALUE)
      return this.push(s.value.isUniversal ? true : null, s.value.isUniversal ? s.mask : mask, s.value.isUniversal ? s.reasons : reasons);
    const value = v.value instanceof DatetimeValue ? v.value.text : (v.value as Value);
    const trace: Trace = { mask, reasons: [] };
    const r = setPredicate(s.value, s.value, (x, _y, t) => valueIn(value, x, t), trace);
    if (r === null && value !== null && typeof value === "object")
      trace.reasons.push(`D15: whether a ${Array.isArray(value) ? "list" : "map"} value is in a set is not simulated`);
    this.push(r, trace.mask, merge(reasons, this.located(trace.reasons, at)));
  }

  /** Reasons found while matching, with the place of the predicate that matched. */
  private located(reasons: string[], at: number): string[] {
    const where = this.where(at);
    return where ? reasons.map((r) => r + where) : reasons;
  }

  private compare(op: A.SetComparisonOp, at: number): void {
    const unary = op === "is empty" || op === "is universal";
    const b = unary ? { value: MetaSet.EMPTY as Slot, mask: 0, reasons: null } : this.pop();
    const a = this.pop();
    const mask = a.mask | b.mask;
    const reasons = merge(a.reasons, b.reasons);
    const ka = a.value instanceof MetaSet ? a.value : undefined;
    const kb = b.value instanceof MetaSet ? b.value : undefined;
    if (!ka || !kb) {
      // What one known side decides alone.
      if ((op === "overlaps" && (ka?.isEmpty || kb?.isEmpty)) || (op === "superset of" && (kb?.isEmpty || ka?.isUniversal))) {
        const side = ka?.isEmpty || ka?.isUniversal ? a : b;
        return this.push(op !== "overlaps", side.mask, side.reasons);
      }
      if (op === "subset of" && (ka?.isEmpty || kb?.isUniversal)) return this.push(true, ka?.isEmpty ? a.mask : b.mask, ka?.isEmpty ? a.reasons : b.reasons);
      return this.push(null, mask, reasons);
    }
    const trace: Trace = { mask, reasons: [] };
    let r: Tri;
    switch (op) {
      case "is empty":
        r = setPredicate(ka, ka, (x) => x.isEmpty, trace);
        break;
      case "is universal":
        // Read without D1, `{"*"}` is universal too; only a set with exceptions tells the readings apart.
        if (ka.cofinite && !ka.isUniversal) trace.mask |= D.universal;
        r = ka.isUniversal;
        break;
      case "overlaps":
        r = setPredicate(ka, kb, overlaps, trace);
        break;
      case "subset of":
        r = setPredicate(ka, kb, subsetOf, trace);
        break;
      case "superset of":
        r = setPredicate(kb, ka, subsetOf, trace);
        break;
      case "==":
        r = setPredicate(ka, kb, (x, y) => x.equals(y), trace);
        break;
    }
    this.push(r, trace.mask, merge(reasons, this.located(trace.reasons, at)));
  }

  private logic(kind: "and" | "or"): void {
    const b = this.pop();
    const a = this.pop();
    const decisive = kind !== "and";
    // The operand that decided alone is the only one the result relied on.
    if (a.value === decisive) return this.push(decisive, a.mask, a.reasons);
    if (b.value === decisive) return this.push(decisive, b.mask, b.reasons);
    const value: Tri = a.value === !decisive && b.value === !decisive ? !decisive : null;
    this.push(value, a.mask | b.mask, merge(a.reasons, b.reasons));
  }
}

function merge(a: string[] | null, b: string[] | null): string[] | null {
  if (!a || a.length === 0) return b;
  if (!b || b.length === 0) return a;
  return [...a, ...b.filter((r) => !a.includes(r))];
}

/** Python equality as policy-semantics.md restricts it: a bool equals only a bool, null only null. */
function valuesEqual(a: Value | DatetimeValue, b: Value | DatetimeValue): boolean {
  if (a instanceof DatetimeValue || b instanceof DatetimeValue) {
    const x = a instanceof DatetimeValue ? parseInstant(a.text) : instantOf(a);
    const y = b instanceof DatetimeValue ? parseInstant(b.text) : instantOf(b);
    return x !== undefined && x === y && typeof a !== "boolean" && typeof b !== "boolean";
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => valuesEqual(x as Value, b[i] as Value));
  }
  const ka = Object.keys(a);
  const mb = b as { readonly [k: string]: Value };
  return (
    ka.length === Object.keys(mb).length &&
    ka.every((k) => Object.hasOwn(mb, k) && valuesEqual((a as { readonly [k: string]: Value })[k] as Value, mb[k] as Value))
  );
}

/**
 * The union or intersection of metadata fields (propagation, `@args.F`): over none, union is `{}`
 * and intersection universal; an unknown field makes it unknown unless a known one decides.
 */
export function aggregate(fields: readonly Field[], op: "|" | "&"): Evaluation<Field> {
  const trace: Trace = { mask: 0, reasons: [] };
  let acc: MetaSet | undefined;
  let unknown: UnknownField | undefined;
  const unknownTrace: Trace = { mask: 0, reasons: [] };
  for (const f of fields) {
    if (f instanceof UnknownField) {
      unknown ??= f;
      unknownTrace.mask |= f.mask;
      if (!unknownTrace.reasons.includes(f.reason)) unknownTrace.reasons.push(f.reason);
      continue;
    }
    acc = acc === undefined ? f : setOp(op, acc, f, trace);
  }
  if (acc === undefined && !unknown) return { value: op === "|" ? MetaSet.EMPTY : MetaSet.UNIVERSAL, trace };
  if (!unknown) return { value: acc as MetaSet, trace };
  if (acc && ((op === "|" && acc.isUniversal) || (op === "&" && acc.isEmpty))) return { value: acc, trace };
  return { value: unknown, trace: { mask: trace.mask | unknownTrace.mask, reasons: [...trace.reasons, ...unknownTrace.reasons] } };
}

/** A condition's value: true, false or unknown, with what it relied on. */
export function evaluateCondition(program: Program, code: Code, call: CallView, context: Context, where: Where): Evaluation<Tri> {
  const r = new Machine(program, call, context, where).run(code);
  return { value: r.value as Tri, trace: r.trace };
}

/** A set expression's value, or unknown (with the reasons in the trace). */
export function evaluateSet(program: Program, code: Code, call: CallView, context: Context, where: Where): Evaluation<MetaSet | undefined> {
  const r = new Machine(program, call, context, where).run(code);
  return { value: r.value instanceof MetaSet ? r.value : undefined, trace: r.trace };
}
