/**
 * `model.model_dump(mode="json", exclude_none=True)` driven by the zod models: fields in
 * declaration order, defaults of present objects filled in, absent optional fields left out,
 * float fields as floats, set fields sorted and deduplicated, maps in input order.
 */
import type * as z from "zod";
import { fromPlain } from "../load/from-plain.js";
import type { LNode } from "../load/lnode.js";
import { kindOf } from "../schema/introspect.js";
import { PyFloat, isPyMap, type PyMap, type PyValue } from "./pyvalue.js";
import { Source } from "../load/source.js";

const DEFAULTS_SPAN = { source: new Source("<defaults>", "", false), start: -1, end: -1 };

/** Dumps a validated node with its model. */
export function dumpModel(schema: z.ZodType, node: LNode): PyValue {
  const k = kindOf(schema);
  switch (k.kind) {
    case "object": {
      const out: PyMap = new Map();
      const entries = node.kind === "map" ? node.entries : new Map();
      for (const f of k.fields) {
        const e = entries.get(f.name);
        if (e && !(e.value.kind === "scalar" && e.value.value === null)) out.set(f.name, dumpModel(f.schema, e.value));
        else if (f.hasDefault) out.set(f.name, dumpModel(f.schema, fromPlain(f.default, DEFAULTS_SPAN, f.name)));
      }
      return out;
    }
    case "array": {
      const items = node.kind === "seq" ? node.items.map((n) => dumpModel(k.item, n)) : [];
      return k.set ? sortedUnique(items) : items;
    }
    case "record": {
      const out: PyMap = new Map();
      if (node.kind === "map") for (const [key, e] of node.entries) out.set(key, dumpModel(k.value, e.value));
      return out;
    }
    case "float":
      return node.kind === "scalar" && (typeof node.value === "number" || typeof node.value === "bigint") ? new PyFloat(Number(node.value)) : dumpRaw(node);
    case "int":
      return node.kind === "scalar" && typeof node.value === "number" ? Math.trunc(node.value) : dumpRaw(node);
    default:
      return dumpRaw(node);
  }
}

/** A value no model describes ($overrides): ints stay ints, numbers written as floats stay floats. */
export function dumpRaw(node: LNode): PyValue {
  switch (node.kind) {
    case "scalar":
      if (typeof node.value === "number") return node.float || !Number.isInteger(node.value) ? new PyFloat(node.value) : node.value;
      return node.value;
    case "seq":
      return node.items.map(dumpRaw);
    case "map": {
      const out: PyMap = new Map();
      for (const [key, e] of node.entries) out.set(key, dumpRaw(e.value));
      return out;
    }
  }
}

/** Python's `sorted(set(items))` for strings: by code point, not by UTF-16 unit. */
function sortedUnique(items: PyValue[]): PyValue[] {
  const strings = [...new Set(items.filter((i): i is string => typeof i === "string"))];
  return strings.sort(compareCodePoints);
}

export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** The SDK's overrides rule: mappings merge recursively, anything else replaces; new keys go last. */
export function applyOverrides(base: PyValue, overrides: PyValue): PyValue {
  if (!isPyMap(base) || !isPyMap(overrides)) return overrides;
  const out: PyMap = new Map(base);
  for (const [k, v] of overrides) {
    const old = out.get(k);
    out.set(k, old !== undefined ? applyOverrides(old, v) : v);
  }
  return out;
}
