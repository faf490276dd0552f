/**
 * Two environments' wire sections compared field by field. Mappings are walked key by key (the
 * after side's order, then keys only the before side has); the named lists are matched by item
 * `name`, so an added or removed classifier is one change at `LIST.NAME`; anything else is a leaf
 * compared as JSON text. The policy code is left to rules.ts.
 */
import { HEADER_OF_SECTION, SECTION_NAMES } from "../schema/sections.js";
import { pyDumps } from "../serialize/pyjson.js";
import { isPyMap, type PyMap, type PyValue } from "../serialize/pyvalue.js";
import { classifyField } from "./classes.js";
import type { FieldChange } from "./model.js";
import { enclosingSpan, fieldSpan, overridesTouch, toLocation, wireValue, type EnvSide } from "./provenance.js";

/** Lists of objects identified by their `name`. */
const NAMED_LISTS = new Set(["features.content_classifiers", "features.content_blockers"]);
/** Compared rule by rule, not as a field. */
export const CODE_PATH = "policy.codes.code";

interface Raw {
  path: string[];
  before: PyValue | undefined;
  after: PyValue | undefined;
}

/** Every changed field between two sides of one environment (or two environments), classified and located. */
export function fieldChanges(before: EnvSide, after: EnvSide): FieldChange[] {
  const raw: Raw[] = [];
  for (const section of SECTION_NAMES) {
    const header = HEADER_OF_SECTION[section];
    if (before.headers[header] !== undefined && before.headers[header] === after.headers[header]) continue;
    walk([section], before.sections[section], after.sections[section], raw);
  }
  return raw.map((r) => fieldChange(r.path, r.before, r.after, before, after));
}

/** One field change, classified by the table and located (the before side when the field is gone). */
export function fieldChange(path: string[], b: PyValue | undefined, a: PyValue | undefined, before: EnvSide, after: EnvSide): FieldChange {
  const cls = classifyField({
    path,
    before: b,
    after: a,
    overridden: overridesTouch(before, path) || overridesTouch(after, path),
    valueAt: (side, p) => wireValue((side === "before" ? before : after).sections, p.split(".")),
  });
  const gone = a === undefined;
  const span = gone ? fieldSpan(before, path) : fieldSpan(after, path);
  const anchor = gone ? enclosingSpan(after, path) : undefined;
  return {
    kind: "field",
    path: path.join("."),
    class: cls,
    before: b,
    after: a,
    ...(span ? { location: toLocation(span, gone ? "before" : undefined) } : {}),
    ...(anchor ? { annotateAt: toLocation(anchor) } : {}),
  };
}

function walk(path: string[], b: PyValue | undefined, a: PyValue | undefined, out: Raw[]): void {
  if (b === undefined && a === undefined) return;
  const dotted = path.join(".");
  if (dotted === CODE_PATH) return;
  if (NAMED_LISTS.has(dotted) && walkNamed(path, b, a, out)) return;
  const bm = isPyMap(b) ? b : undefined;
  const am = isPyMap(a) ? a : undefined;
  if ((bm || b === undefined) && (am || a === undefined) && ((bm?.size ?? 0) > 0 || (am?.size ?? 0) > 0)) {
    for (const key of unionKeys(bm, am)) walk([...path, key], bm?.get(key), am?.get(key), out);
    return;
  }
  if (b !== undefined && a !== undefined && pyDumps(b) === pyDumps(a)) return;
  out.push({ path, before: b, after: a });
}

function unionKeys(b: PyMap | undefined, a: PyMap | undefined): string[] {
  const keys = [...(a?.keys() ?? [])];
  for (const k of b?.keys() ?? []) if (!a?.has(k)) keys.push(k);
  return keys;
}

/** Items by name; undefined when the list is not one of uniquely named objects (then it is compared whole). */
function byName(v: PyValue | undefined): Map<string, PyMap> | undefined {
  if (v === undefined) return new Map();
  if (!Array.isArray(v)) return undefined;
  const items = new Map<string, PyMap>();
  for (const item of v) {
    const name = isPyMap(item) ? item.get("name") : undefined;
    if (typeof name !== "string" || items.has(name)) return undefined;
    items.set(name, item as PyMap);
  }
  return items;
}

function walkNamed(path: string[], b: PyValue | undefined, a: PyValue | undefined, out: Raw[]): boolean {
  const bi = byName(b);
  const ai = byName(a);
  if (!bi || !ai) return false;
  // An empty list that appears or disappears has no items to speak for it.
  if (bi.size === 0 && ai.size === 0) {
    if ((b === undefined) !== (a === undefined)) out.push({ path, before: b, after: a });
    return true;
  }
  const names = [...ai.keys(), ...[...bi.keys()].filter((n) => !ai.has(n))];
  for (const name of names) {
    const x = bi.get(name);
    const y = ai.get(name);
    if (x && y) walk([...path, name], x, y, out);
    else out.push({ path: [...path, name], before: x, after: y });
  }
  return true;
}
