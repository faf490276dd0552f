/**
 * What can stand in a SQRT set besides plain strings: numbers, `r"…"` regexes, `w"…"` wildcards
 * and type domains, and when each one matches a value (policy-semantics.md, "Patterns inside
 * sets"). String contents follow D14: in `"…"` only `\"` and `\\` are escapes; `r"…"` and `w"…"`
 * reach their matcher exactly as written.
 */
import type * as A from "../check/sqrt/ast.js";
import { D, addReason, type Trace } from "./decisions.js";
import { instantOf, parseInstant } from "./instants.js";
import type { Tri } from "./kleene.js";
import { pythonRegex } from "./regex-readings.js";

/** A value as the test file gives it (YAML scalars, lists, mappings). */
export type Value = null | boolean | number | string | readonly Value[] | { readonly [key: string]: Value };

export interface NumberElement {
  kind: "number";
  /** Identity in set algebra: numbers by value (`1` and `1.0` are one element). */
  key: string;
  /** As written, for printing. */
  text: string;
  value: number;
}

export interface PatternElement {
  kind: "pattern";
  /** Identity in set algebra and for `==`: the pattern's text. */
  key: string;
  text: string;
  /** For `str "s"` and `bool b`: the only value it matches. */
  only?: string | boolean;
  /** Whether it matches `value`; unknown readings are explained in `trace`. */
  test(value: Value, trace: Trace): Tri;
}

/** A set element other than a plain string (strings are kept as JS strings). */
export type OtherElement = NumberElement | PatternElement;
export type Element = string | OtherElement;

export function elementText(e: Element): string {
  return typeof e === "string" ? e : e.text;
}

/** Whether element `e` matches value `v` (policy-semantics.md's table). */
export function matchesValue(e: Element, v: Value, trace: Trace): Tri {
  if (typeof e === "string") return v === e;
  if (e.kind === "number") return typeof v === "number" && v === e.value;
  return e.test(v, trace);
}

/** The text of a `"…"` literal (D14): `\"` and `\\` are escapes, every other backslash pair stays. */
export function decodeString(raw: string): string {
  const body = raw.slice(1, -1);
  if (!body.includes("\\")) return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    const n = body[i + 1];
    if (c === "\\" && (n === '"' || n === "\\")) {
      out += n;
      i++;
    } else out += c;
  }
  return out;
}

/** The contents of a raw `r"…"` / `w"…"` literal: exactly as written (D14). */
export function rawBody(raw: string): string {
  return raw.slice(2, -1);
}

/**
 * D14 when the literal's reading matters: a `"…"` string with a backslash pair other than `\"` and
 * `\\` (which another reading would turn into a control character), or a raw `r"…"` / `w"…"`
 * holding `\"` or `\\` (which a non-raw reading would unescape).
 */
export function literalMask(raw: string): number {
  const isRaw = raw[0] === "r" || raw[0] === "w";
  for (let i = raw.indexOf("\\"); i >= 0 && i < raw.length - 1; i = raw.indexOf("\\", i + 2)) {
    const next = raw[i + 1];
    if ((next === '"' || next === "\\") === isRaw) return D.stringContents;
  }
  return 0;
}

export function parseNumber(raw: string): number {
  if (raw === "inf" || raw === "+inf") return Infinity;
  if (raw === "-inf") return -Infinity;
  return Number(raw);
}

interface Bounds {
  low: number;
  lowOpen: boolean;
  high: number;
  highOpen: boolean;
}

function bounds<B>(spec: A.RangeSpec<B>, value: (b: B) => number | undefined): Bounds | undefined {
  const low = spec.low === null ? -Infinity : value(spec.low);
  const high = spec.op === null ? low : spec.high === null ? Infinity : value(spec.high);
  if (low === undefined || high === undefined) return undefined;
  return { low, high, lowOpen: spec.op === "<.." || spec.op === "<..<", highOpen: spec.op === "..<" || spec.op === "<..<" };
}

function within(x: number, b: Bounds): boolean {
  return (b.lowOpen ? x > b.low : x >= b.low) && (b.highOpen ? x < b.high : x <= b.high);
}

function rangeText<B extends { raw: string }>(spec: A.RangeSpec<B>): string {
  return `${spec.low?.raw ?? ""}${spec.op ?? ""}${spec.high?.raw ?? ""}`;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
    else {
      const d = s.charCodeAt(i + 1);
      n++;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

/** `r"p"` as a matcher of strings: Python's `re` under the three readings (D2). */
function regexTest(raw: string): (s: string, trace: Trace) => Tri {
  const re = pythonRegex(rawBody(raw));
  return (s, trace) => {
    const r = re.test(s);
    if (r.known) return r.value;
    trace.mask |= D.regexReadings;
    addReason(trace, `D2: ${raw} against ${JSON.stringify(s)}: ${r.why}`);
    return null;
  };
}

/** `w"p"`: `*` any run, `?` one character, everything else literal, whole string, case-sensitive. */
function wildcardTest(raw: string): (s: string) => boolean {
  const source = [...rawBody(raw)].map((c) => (c === "*" ? "[^]*" : c === "?" ? "[^]" : c.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&"))).join("");
  const re = new RegExp(`^${source}$`, "u");
  return (s) => re.test(s);
}

export interface CompiledElement {
  element: Element;
  /** Decisions its literal text rests on (D14). */
  mask: number;
  /** Things worth telling the user once (a datetime literal that names no instant). */
  notes: string[];
}

/** Compiles a set literal's element. A plain `"…"` becomes a JS string. */
export function compileElement(el: A.Element): CompiledElement {
  const notes: string[] = [];
  const pattern = (text: string, test: PatternElement["test"], literal?: string, only?: string | boolean): CompiledElement => ({
    element: { kind: "pattern", key: text, text, test, ...(only !== undefined ? { only } : {}) },
    mask: literal === undefined ? 0 : literalMask(literal),
    notes,
  });
  switch (el.kind) {
    case "String":
      return { element: decodeString(el.raw), mask: literalMask(el.raw), notes };
    case "Number": {
      const value = parseNumber(el.raw);
      return { element: { kind: "number", key: String(value), text: el.raw, value }, mask: 0, notes };
    }
    case "Regex": {
      const test = regexTest(el.raw);
      return pattern(el.raw, (v, t) => (typeof v === "string" ? test(v, t) : false), el.raw);
    }
    case "Wildcard": {
      const test = wildcardTest(el.raw);
      return pattern(el.raw, (v) => typeof v === "string" && test(v), el.raw);
    }
    case "BoolDomain":
      return pattern(`bool ${el.value}`, (v) => v === el.value, undefined, el.value);
    case "IntDomain":
    case "FloatDomain": {
      const b = bounds(el.spec, (n) => parseNumber(n.raw)) as Bounds;
      const int = el.kind === "IntDomain";
      return pattern(`${int ? "int" : "float"} ${rangeText(el.spec)}`, (v) => typeof v === "number" && (!int || Number.isInteger(v)) && within(v, b));
    }
    case "StrDomain": {
      const len = el.length ? (bounds(el.length, (n) => parseNumber(n.raw)) as Bounds) : undefined;
      const lengthOk = (s: string) => !len || within(codePoints(s), len);
      const suffix = el.length ? ` length ${rangeText(el.length)}` : "";
      const p = el.pattern;
      if (p.kind === "exact") {
        const s = decodeString(p.value.raw);
        return pattern(`str ${p.value.raw}${suffix}`, (v) => v === s && lengthOk(s), p.value.raw, el.length ? undefined : s);
      }
      if (p.kind === "matching") {
        const test = regexTest(p.value.raw);
        return pattern(`str matching ${p.value.raw}${suffix}`, (v, t) => (typeof v === "string" && lengthOk(v) ? test(v, t) : false), p.value.raw);
      }
      const test = wildcardTest(p.value.raw);
      return pattern(`str like ${p.value.raw}${suffix}`, (v) => typeof v === "string" && lengthOk(v) && test(v), p.value.raw);
    }
    case "DatetimeDomain": {
      const spec = el.spec;
      const instantOfLiteral = (raw: string, text: string): number | undefined => {
        const at = parseInstant(text);
        if (at === undefined) notes.push(`datetime literal ${raw} is not an ISO 8601 instant with a zone; it matches nothing`);
        return at;
      };
      let b: Bounds | undefined;
      let text: string;
      if (spec.kind === "Range") {
        b = bounds(spec, (d) => instantOfLiteral(d.raw, d.raw.slice(2, -1)));
        text = `datetime ${rangeText(spec)}`;
      } else if (spec.kind === "String") {
        const at = instantOfLiteral(spec.raw, decodeString(spec.raw));
        b = at === undefined ? undefined : { low: at, high: at, lowOpen: false, highOpen: false };
        text = `datetime ${spec.raw}`;
      } else {
        const at = parseNumber(spec.raw);
        b = { low: at, high: at, lowOpen: false, highOpen: false };
        text = `datetime ${spec.raw}`;
      }
      return pattern(text, (v) => {
        if (!b || typeof v === "boolean") return false;
        const at = instantOf(v);
        return at !== undefined && within(at, b);
      });
    }
  }
}
