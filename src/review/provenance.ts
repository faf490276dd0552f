/**
 * Where a reviewed value was written, with the provenance `explain` uses: merged nodes keep the
 * span of the layer that wrote each value, and policy code maps offsets back into the YAML block
 * or `.sqrt` file they came from.
 */
import { compileDetails, spanInCode, type CompileResult, type PySections } from "../compile.js";
import type { LNode, LScalar } from "../load/lnode.js";
import { locate, type Span } from "../load/source.js";
import type { HeaderName, SectionName } from "../schema/sections.js";
import { isPyMap, type PyValue } from "../serialize/pyvalue.js";
import { itemAt } from "../validate/locate.js";
import type { ChangeLocation } from "./model.js";

/** One environment as one side compiled it. */
export interface EnvSide {
  name: string;
  /** Wire values (defaults filled in, `$overrides` applied). */
  sections: PySections;
  /** The header strings: equal strings need no field-by-field walk. */
  headers: Partial<Record<HeaderName, string>>;
  merged: Partial<Record<SectionName, LNode>>;
  overrides: Partial<Record<SectionName, LNode>>;
  /** The environment's key under `environments`. */
  key: Span | undefined;
}

/** The environments of one compile result, as sides to compare. */
export function sidesOf(result: CompileResult): (name: string) => EnvSide {
  const headers = new Map((result.compiled?.environments ?? []).map((e) => [e.name, e.headers]));
  const details = compileDetails(result);
  return (name) => ({
    name,
    sections: details.pySections.get(name) ?? {},
    headers: headers.get(name) ?? {},
    merged: details.merged.get(name) ?? {},
    overrides: details.overrides.get(name) ?? {},
    key: details.environmentKeys.get(name),
  });
}

export function toLocation(span: Span, side?: "before"): ChangeLocation {
  const l = locate(span);
  return { ...(side ? { side } : {}), file: l.file, line: l.line, column: l.column };
}

/** A wire value by plain keys (`policy.presets.default_allow`). */
export function wireValue(sections: PySections, path: readonly string[]): PyValue | undefined {
  const [section, ...keys] = path;
  let v: PyValue | undefined = sections[section as SectionName];
  for (const k of keys) v = isPyMap(v) ? v.get(k) : undefined;
  return v;
}

/** One step down a node: a mapping key, or a list item (by its `name` in the named lists). */
function step(node: LNode, key: string): { node: LNode; span: Span } | undefined {
  if (node.kind === "map") {
    const e = node.entries.get(key);
    return e ? { node: e.value, span: e.keySpan } : undefined;
  }
  if (node.kind === "seq") {
    const item = itemAt(node.items, key);
    return item ? { node: item, span: item.span } : undefined;
  }
  return undefined;
}

/**
 * The value at `keys` below `root`, or the nearest enclosing entry that exists (at its key:
 * `presets:` for a preset field left to its default). `exact` tells which.
 */
function nodeAt(root: LNode | undefined, keys: readonly string[]): { span: Span; exact: boolean; node: LNode } | undefined {
  if (!root) return undefined;
  let node = root;
  let at = root.span;
  for (const key of keys) {
    const next = step(node, key);
    if (!next) return { span: at, exact: false, node };
    node = next.node;
    at = next.span;
  }
  return { span: node.span, exact: true, node };
}

/** Does this side's `$overrides` write the field at `path`, or a field above or below it? */
export function overridesTouch(side: EnvSide, path: readonly string[]): boolean {
  const [section, ...keys] = path;
  let node = side.overrides[section as SectionName];
  if (!node) return false;
  for (const key of keys) {
    // A list or scalar in the overrides replaces everything below it.
    if (node.kind !== "map") return true;
    const e: LNode | undefined = node.entries.get(key)?.value;
    if (!e) return false;
    node = e;
  }
  return true;
}

/** Where the field at `path` was written on this side: its `$overrides` when they touch it, else the merged value (or nearest enclosing entry). */
export function fieldSpan(side: EnvSide, path: readonly string[]): Span | undefined {
  const [section, ...keys] = path;
  const s = section as SectionName;
  if (overridesTouch(side, path)) {
    const found = nodeAt(side.overrides[s], keys);
    if (found) return found.span;
  }
  return nodeAt(side.merged[s], keys)?.span ?? side.key;
}

/** The nearest node enclosing `path` that exists on this side: for annotating what was removed. */
export function enclosingSpan(side: EnvSide, path: readonly string[]): Span | undefined {
  const [section, ...keys] = path;
  return nodeAt(side.merged[section as SectionName], keys)?.span ?? side.key;
}

/** The merged policy code node, when the wire code is exactly its text (not replaced by `$overrides`). */
function codeNode(side: EnvSide): LScalar | undefined {
  const n = nodeAt(side.merged.policy, ["codes", "code"]);
  const wire = wireValue(side.sections, ["policy", "codes", "code"]);
  return n?.exact && n.node.kind === "scalar" && n.node.value === wire ? n.node : undefined;
}

/** Where character `offset` of this side's policy code was written. */
export function codeSpan(side: EnvSide, offset: number): Span | undefined {
  const node = codeNode(side);
  return node ? spanInCode(node, offset) : fieldSpan(side, ["policy", "codes", "code"]);
}
