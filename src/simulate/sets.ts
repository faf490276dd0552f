/**
 * Sets of set elements that are finite or co-finite ("everything except E"), so that the universal
 * set `{"*"}` stays exact under every operator (D1). Algebra (`|`, `&`, `-`, `^`, `with`,
 * `without`, set `==`) compares elements by identity: strings by value, numbers by value,
 * patterns by their text. Predicates (`in`, `overlaps`, `subset of`) match: a pattern matches
 * the strings it accepts.
 *
 * D1 is recorded only where it changed something: every operation that meets the universal set is
 * also computed with `"*"` read as an ordinary string, and D1 counts when the two results differ
 * (or when an operand is co-finite with exceptions, which only the universal reading produces).
 */
import { compareCodePoints } from "../serialize/dump.js";
import { D, type Trace } from "./decisions.js";
import { and, or, type Tri } from "./kleene.js";
import { elementText, matchesValue, type Element, type OtherElement, type Value } from "./patterns.js";

export class MetaSet {
  private constructor(
    /** True: the set is everything except `strs` and `others`. */
    readonly cofinite: boolean,
    readonly strs: ReadonlySet<string>,
    readonly others: ReadonlyMap<string, OtherElement>,
  ) {}

  static readonly EMPTY = new MetaSet(false, new Set(), new Map());
  static readonly UNIVERSAL = new MetaSet(true, new Set(), new Map());

  /** The finite set of these elements (`"*"` is an ordinary string here). */
  static of(elements: Iterable<Element>): MetaSet {
    const strs = new Set<string>();
    const others = new Map<string, OtherElement>();
    for (const e of elements) {
      if (typeof e === "string") strs.add(e);
      else others.set(e.key, e);
    }
    return strs.size === 0 && others.size === 0 ? MetaSet.EMPTY : new MetaSet(false, strs, others);
  }

  /** Everything except these strings. */
  static except(exceptions: Iterable<string>): MetaSet {
    const strs = new Set(exceptions);
    return strs.size === 0 ? MetaSet.UNIVERSAL : new MetaSet(true, strs, new Map());
  }

  /**
   * A set as a test file writes it: a list starting with `"*"` is universal minus its `"!x"`
   * items; any other list is finite (its `"!x"` items are plain strings).
   */
  static fromList(items: readonly string[]): MetaSet {
    return items[0] === "*" ? MetaSet.except(items.slice(1).map((s) => s.slice(1))) : MetaSet.of(items);
  }

  /** The union of finite sets, in one pass. */
  static unionAll(sets: readonly MetaSet[]): MetaSet {
    const strs = new Set<string>();
    const others = new Map<string, OtherElement>();
    for (const s of sets) {
      for (const x of s.strs) strs.add(x);
      for (const [k, e] of s.others) others.set(k, e);
    }
    return MetaSet.build(false, strs, others);
  }

  /** The symmetric difference of finite sets, in one pass. */
  static xorAll(sets: readonly MetaSet[]): MetaSet {
    const strs = new Set<string>();
    const others = new Map<string, OtherElement>();
    for (const s of sets) {
      for (const x of s.strs) if (!strs.delete(x)) strs.add(x);
      for (const [k, e] of s.others) if (!others.delete(k)) others.set(k, e);
    }
    return MetaSet.build(false, strs, others);
  }

  get isEmpty(): boolean {
    return !this.cofinite && this.strs.size === 0 && this.others.size === 0;
  }

  get isUniversal(): boolean {
    return this.cofinite && this.strs.size === 0 && this.others.size === 0;
  }

  private printed: readonly string[] | undefined;

  /** Sorted (by code point) for output; co-finite as `["*", "!a", ...]`. Computed once per set: do not change it. */
  toList(): string[] {
    if (!this.printed) {
      const items = [...this.strs, ...[...this.others.values()].map(elementText)].sort(compareCodePoints);
      this.printed = this.cofinite ? ["*", ...items.map((i) => `!${i}`)] : items;
    }
    return this.printed as string[];
  }

  /** Identity membership: `e` is one of the elements (or, co-finite, not an exception). */
  hasElement(e: Element): boolean {
    const inside = typeof e === "string" ? this.strs.has(e) : this.others.has(e.key);
    return this.cofinite ? !inside : inside;
  }

  union(b: MetaSet): MetaSet {
    if (b.isEmpty || this.isUniversal || b === this) return this;
    if (this.isEmpty || b.isUniversal) return b;
    if (!this.cofinite && !b.cofinite) {
      if (b.others.size === 0 && [...b.strs].every((x) => this.strs.has(x))) return this;
      return MetaSet.build(false, unionS(this.strs, b.strs), unionM(this.others, b.others));
    }
    if (this.cofinite && b.cofinite) return MetaSet.build(true, interS(this.strs, b.strs), interM(this.others, b.others));
    const [c, f] = this.cofinite ? [this, b] : [b, this];
    return MetaSet.build(true, minusS(c.strs, f.strs), minusM(c.others, f.others));
  }

  intersect(b: MetaSet): MetaSet {
    if (this.isEmpty || b.isUniversal || b === this) return this;
    if (b.isEmpty || this.isUniversal) return b;
    if (!this.cofinite && !b.cofinite) return MetaSet.build(false, interS(this.strs, b.strs), interM(this.others, b.others));
    if (this.cofinite && b.cofinite) return MetaSet.build(true, unionS(this.strs, b.strs), unionM(this.others, b.others));
    const [c, f] = this.cofinite ? [this, b] : [b, this];
    return MetaSet.build(false, minusS(f.strs, c.strs), minusM(f.others, c.others));
  }

  minus(b: MetaSet): MetaSet {
    if (b.isEmpty || this.isEmpty) return this;
    if (b.isUniversal) return MetaSet.EMPTY;
    if (!this.cofinite && !b.cofinite) return MetaSet.build(false, minusS(this.strs, b.strs), minusM(this.others, b.others));
    if (!this.cofinite) return MetaSet.build(false, interS(this.strs, b.strs), interM(this.others, b.others));
    if (!b.cofinite) return MetaSet.build(true, unionS(this.strs, b.strs), unionM(this.others, b.others));
    return MetaSet.build(false, minusS(b.strs, this.strs), minusM(b.others, this.others));
  }

  xor(b: MetaSet): MetaSet {
    if (b.isEmpty) return this;
    if (this.isEmpty) return b;
    // ¬X ⊕ Y = ¬(X ⊕ Y), ¬X ⊕ ¬Y = X ⊕ Y.
    return MetaSet.build(this.cofinite !== b.cofinite, xorS(this.strs, b.strs), xorM(this.others, b.others));
  }

  private static build(cofinite: boolean, strs: ReadonlySet<string>, others: ReadonlyMap<string, OtherElement>): MetaSet {
    if (strs.size === 0 && others.size === 0) return cofinite ? MetaSet.UNIVERSAL : MetaSet.EMPTY;
    return new MetaSet(cofinite, strs, others);
  }

  equals(b: MetaSet): boolean {
    return this.cofinite === b.cofinite && sameS(this.strs, b.strs) && sameM(this.others, b.others);
  }
}

const unionS = (a: ReadonlySet<string>, b: ReadonlySet<string>) => new Set([...a, ...b]);
const interS = (a: ReadonlySet<string>, b: ReadonlySet<string>) => new Set([...a].filter((x) => b.has(x)));
const minusS = (a: ReadonlySet<string>, b: ReadonlySet<string>) => new Set([...a].filter((x) => !b.has(x)));
const xorS = (a: ReadonlySet<string>, b: ReadonlySet<string>) => new Set([...[...a].filter((x) => !b.has(x)), ...[...b].filter((x) => !a.has(x))]);
const sameS = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));
type M = ReadonlyMap<string, OtherElement>;
// Most sets hold strings only: their element maps stay the one shared empty map.
const NO_OTHERS: M = new Map();
const unionM = (a: M, b: M) => (b.size === 0 ? a : a.size === 0 ? b : new Map([...a, ...b]));
const interM = (a: M, b: M) => (a.size === 0 || b.size === 0 ? NO_OTHERS : new Map([...a].filter(([k]) => b.has(k))));
const minusM = (a: M, b: M) => (a.size === 0 || b.size === 0 ? a : new Map([...a].filter(([k]) => !b.has(k))));
const xorM = (a: M, b: M) => (b.size === 0 ? a : a.size === 0 ? b : new Map([...[...a].filter(([k]) => !b.has(k)), ...[...b].filter(([k]) => !a.has(k))]));
const sameM = (a: M, b: M) => a.size === b.size && [...a.keys()].every((k) => b.has(k));

export type SetOp = "|" | "&" | "-" | "^";

export function applySetOp(op: SetOp, a: MetaSet, b: MetaSet): MetaSet {
  switch (op) {
    case "|":
      return a.union(b);
    case "&":
      return a.intersect(b);
    case "-":
      return a.minus(b);
    case "^":
      return a.xor(b);
  }
}

/**
 * What `a op b` is whatever the other operand holds, when one operand alone decides it:
 * `U | X = U`, `{} & X = {}`, `{} - X = {}`, `X - U = {}`. `known` is the operand on `side`.
 * Used where the other operand is unknown (an unknown field, an unknown expression).
 */
export function absorbingOperand(op: SetOp, known: MetaSet, side: "left" | "right"): MetaSet | undefined {
  if (op === "|" && known.isUniversal) return known;
  if (op === "&" && known.isEmpty) return known;
  if (op === "-" && side === "left" && known.isEmpty) return known;
  if (op === "-" && side === "right" && known.isUniversal) return MetaSet.EMPTY;
  return undefined;
}

/** The set as a reading without D1 would see it: `{"*"}` for the universal set; none for a co-finite one with exceptions. */
function naive(s: MetaSet): MetaSet | undefined {
  if (!s.cofinite) return s;
  return s.isUniversal ? STAR : undefined;
}
const STAR = MetaSet.of(["*"]);

/** Whether `exact` (D1) and a result computed without D1 differ. */
function differs(exact: MetaSet, plain: MetaSet): boolean {
  return exact.isUniversal ? !plain.equals(STAR) : !exact.equals(plain);
}

/** `a op b`, recording D1 in `trace` when the universal reading changed the result. */
export function setOp(op: SetOp, a: MetaSet, b: MetaSet, trace: Trace): MetaSet {
  const exact = applySetOp(op, a, b);
  if (a.cofinite || b.cofinite) {
    const na = naive(a);
    const nb = naive(b);
    if (!na || !nb || differs(exact, applySetOp(op, na, nb))) trace.mask |= D.universal;
  }
  return exact;
}

/** A set predicate, recording D1 when the universal reading changed its outcome. */
export function setPredicate(a: MetaSet, b: MetaSet, pred: (x: MetaSet, y: MetaSet, t: Trace) => Tri, trace: Trace): Tri {
  const exact = pred(a, b, trace);
  if (a.cofinite || b.cofinite) {
    const na = naive(a);
    const nb = naive(b);
    if (!na || !nb || pred(na, nb, { mask: 0, reasons: [] }) !== exact) trace.mask |= D.universal;
  }
  return exact;
}

function* elementsOf(s: MetaSet): Generator<Element> {
  yield* s.strs;
  yield* s.others.values();
}

/** Whether element `b` matches element `a`: `a` a value (string or number) that `b` accepts, or the same element. */
function elementMatches(b: Element, a: Element, trace: Trace): Tri {
  if (typeof a === "string") return matchesValue(b, a, trace);
  if (a.kind === "number") return matchesValue(b, a.value, trace);
  return typeof b !== "string" && b.key === a.key;
}

/** Whether a co-finite set holds some value that element `e` accepts. */
function cofiniteAccepts(c: MetaSet, e: Element): boolean {
  if (typeof e === "string" || e.kind === "number") return c.hasElement(e);
  // A pattern matches infinitely many values unless it names exactly one.
  return typeof e.only === "string" ? c.hasElement(e.only) : true;
}

/** `A overlaps B`: some element of one matches some element of the other. */
export function overlaps(a: MetaSet, b: MetaSet, trace: Trace): Tri {
  if (a.cofinite && b.cofinite) return true;
  if (a.cofinite || b.cofinite) {
    const [c, f] = a.cofinite ? [a, b] : [b, a];
    for (const e of elementsOf(f)) if (cofiniteAccepts(c, e)) return true;
    return false;
  }
  let result: Tri = false;
  for (const x of elementsOf(a)) {
    for (const y of elementsOf(b)) {
      result = or(result, or(elementMatches(y, x, trace), elementMatches(x, y, trace)));
      if (result === true) return true;
    }
  }
  return result;
}

/** `A subset of B`: every element of A matches some element of B; universal A only of universal B. */
export function subsetOf(a: MetaSet, b: MetaSet, trace: Trace): Tri {
  if (a.cofinite) return b.cofinite && [...elementsOf(b)].every((e) => !a.hasElement(e));
  if (b.cofinite) return [...elementsOf(a)].every((e) => b.hasElement(e));
  let result: Tri = true;
  for (const x of elementsOf(a)) {
    let found: Tri = false;
    for (const y of elementsOf(b)) {
      found = or(found, elementMatches(y, x, trace));
      if (found === true) break;
    }
    result = and(result, found);
    if (result === false) return false;
  }
  return result;
}

/**
 * `v in S`: some element of S matches the value. A co-finite S holds every value but its
 * exceptions (lists, maps and null included); a finite S never holds null, and whether it holds a
 * list or a map is unknown (D15).
 */
export function valueIn(v: Value, s: MetaSet, trace: Trace): Tri {
  if (s.cofinite) return typeof v === "string" || typeof v === "number" ? s.hasElement(typeof v === "number" ? numberKeyElement(v) : v) : true;
  if (v === null) return false;
  if (typeof v === "object") {
    trace.mask |= D.listValue;
    return null;
  }
  let result: Tri = false;
  for (const e of elementsOf(s)) {
    result = or(result, matchesValue(e, v, trace));
    if (result === true) return true;
  }
  return result;
}

function numberKeyElement(n: number): OtherElement {
  return { kind: "number", key: String(n), text: String(n), value: n };
}
