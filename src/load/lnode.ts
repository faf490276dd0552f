/**
 * The config as a tree of located nodes: every value remembers the file range that wrote it, so
 * that an error found after layers merged still points into the layer that wrote the bad value.
 * Mappings are `Map`s: insertion order is kept even for numeric-looking keys (token ids).
 */
import { SECTION_META_KEYS } from "../schema/sections.js";
import type { Span } from "./source.js";

export type ScalarValue = null | boolean | string | number | bigint;

/** Maps an offset inside a string value back to the file that wrote that part of it. */
export interface TextSegment {
  /** Offsets in the string value covered by this segment. */
  start: number;
  end: number;
  /** Position of the segment's character `offset - start`. */
  locate(offsetInSegment: number): Span;
}

export interface LScalar {
  kind: "scalar";
  value: ScalarValue;
  /** Written as a float (`1.0`, `1e3`): matters only where no schema says int or float ($overrides). */
  float: boolean;
  span: Span;
  /** For strings: where each part came from (multi-line YAML scalars, policy files, $append). */
  segments?: TextSegment[];
}

export interface LSeq {
  kind: "seq";
  items: LNode[];
  span: Span;
}

export interface LEntry {
  key: string;
  keySpan: Span;
  value: LNode;
}

export interface LMap {
  kind: "map";
  entries: Map<string, LEntry>;
  span: Span;
}

export type LNode = LScalar | LSeq | LMap;

export function isMap(n: LNode | undefined): n is LMap {
  return n?.kind === "map";
}

export function scalar(value: ScalarValue, span: Span, float = false): LScalar {
  return { kind: "scalar", value, float, span };
}

export function get(map: LMap, key: string): LNode | undefined {
  return map.entries.get(key)?.value;
}

/** A mapping whose only key starts with `$` (other than the section keys): a merge directive in place of a value. */
export function directiveKey(n: LNode | undefined): string | undefined {
  if (n?.kind !== "map" || n.entries.size !== 1) return undefined;
  const [key] = n.entries.keys();
  return key?.startsWith("$") && !(SECTION_META_KEYS as readonly string[]).includes(key) ? key : undefined;
}

/**
 * A copy of `map` with the value at `keys` (every one an existing mapping entry but the last)
 * replaced; nodes are shared, never mutated, so other environments' merges are unaffected.
 */
export function setIn(map: LMap, keys: readonly string[], value: LNode, keySpan?: Span): LMap {
  const [key, ...rest] = keys;
  if (key === undefined) return map;
  const entry = map.entries.get(key);
  const child = entry?.value;
  const newValue = rest.length === 0 ? value : child?.kind === "map" ? setIn(child, rest, value, keySpan) : value;
  const entries = new Map(map.entries);
  entries.set(key, { key, keySpan: entry?.keySpan ?? keySpan ?? map.span, value: newValue });
  return { ...map, entries };
}

/** What kind of value a node holds, in words for messages. */
export function describeKind(n: LNode): string {
  if (n.kind === "map") return "a mapping";
  if (n.kind === "seq") return "a list";
  const v = n.value;
  if (v === null) return "null";
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return "a boolean";
  return "a number";
}

/**
 * Plain JSON-like value for schema validation. Integers beyond 2^53 become (inexact) numbers here
 * on purpose: the schema's bounds then reject them, and the message names the exact source text.
 */
export function toPlain(n: LNode): unknown {
  switch (n.kind) {
    case "scalar":
      return typeof n.value === "bigint" ? Number(n.value) : n.value;
    case "seq":
      return n.items.map(toPlain);
    case "map": {
      // An ordinary object (V8 keeps it in fast mode; a null-prototype one is a slower dictionary). The
      // loader refuses `__proto__` keys, but one is still defined as an own property, never a prototype.
      const out: Record<string, unknown> = {};
      for (const [k, e] of n.entries) {
        if (k === "__proto__") Object.defineProperty(out, k, { value: toPlain(e.value), enumerable: true, writable: true, configurable: true });
        else out[k] = toPlain(e.value);
      }
      return out;
    }
  }
}
