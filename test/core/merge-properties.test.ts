// Property tests of the merge against a small reference model of product.md's rules 1-3.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LNode } from "../../src/load/lnode.js";
import { Source } from "../../src/load/source.js";
import { mergeValue } from "../../src/merge/merge.js";
import { dumpRaw } from "../../src/serialize/dump.js";
import { pyDumps } from "../../src/serialize/pyjson.js";

type Tree = null | number | string | boolean | { seq: Tree[] } | { map: [string, Tree][] };

const span = { source: new Source("t.yaml", "", false), start: -1, end: -1 };

function toNode(t: Tree): LNode {
  if (t !== null && typeof t === "object") {
    if ("seq" in t) return { kind: "seq", items: t.seq.map(toNode), span };
    const entries = new Map<string, { key: string; keySpan: typeof span; value: LNode }>();
    for (const [k, v] of t.map) entries.set(k, { key: k, keySpan: span, value: toNode(v) });
    return { kind: "map", entries, span };
  }
  return { kind: "scalar", value: t, float: false, span };
}

// Keys include token-id-like numbers, whose order a plain JS object would not keep.
const key = fc.constantFrom("a", "b", "c", "50256", "13", "x_y");
const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<Tree>(null, 1, 2, "s", true),
    fc.record({ seq: fc.array(tie("t"), { maxLength: 3 }) }),
    fc.uniqueArray(fc.tuple(key, tie("t")), { maxLength: 4, selector: ([k]) => k }).map((map) => ({ map })),
  ),
})).t;

const DELETE = Symbol("delete");
type Ref = null | number | string | boolean | Ref[] | Map<string, Ref>;

/** The reference: rules 1 (maps merge), 2 (others replace), 3 (null deletes). */
function refMerge(e: Ref | undefined, l: Tree): Ref | typeof DELETE {
  if (l === null) return DELETE;
  if (typeof l !== "object") return l;
  if ("seq" in l) return l.seq.map((x) => (x !== null && typeof x === "object" ? (refMerge(undefined, x) as Ref) : x));
  const out = new Map<string, Ref>(e instanceof Map ? e : []);
  for (const [k, v] of l.map) {
    const r = refMerge(out.get(k), v);
    if (r === DELETE) out.delete(k);
    else out.set(k, r);
  }
  return out;
}

function refDump(r: Ref | typeof DELETE): string {
  if (r === DELETE) return "<deleted>";
  const conv = (x: Ref): import("../../src/serialize/pyvalue.js").PyValue =>
    x instanceof Map ? new Map([...x].map(([k, v]) => [k, conv(v)])) : Array.isArray(x) ? x.map(conv) : x;
  return pyDumps(conv(r));
}

function merged(e: Tree, l: Tree): string {
  const diagnostics: never[] = [];
  const base = mergeValue(undefined, toNode(e), { diagnostics });
  const out = mergeValue(base, toNode(l), { diagnostics });
  return out === undefined ? "<deleted>" : pyDumps(dumpRaw(out));
}

describe("merge properties", () => {
  it("agrees with the reference model of the merge rules", () => {
    fc.assert(
      fc.property(tree, tree, (e, l) => {
        const base = refMerge(undefined, e);
        const expected = refDump(refMerge(base === DELETE ? undefined : base, l));
        expect(merged(e, l)).toBe(expected);
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it("is deterministic and idempotent: merging the same layer twice changes nothing", () => {
    fc.assert(
      fc.property(tree, tree, (e, l) => {
        const once = merged(e, l);
        expect(merged(e, l)).toBe(once);
        const diagnostics: never[] = [];
        const first = mergeValue(mergeValue(undefined, toNode(e), { diagnostics }), toNode(l), { diagnostics });
        const twice = first === undefined ? undefined : mergeValue(first, toNode(l), { diagnostics });
        expect(twice === undefined ? "<deleted>" : pyDumps(dumpRaw(twice))).toBe(once);
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it("$append then $remove of new items gives the list back", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 5 }), fc.array(fc.integer({ min: 10, max: 15 }), { maxLength: 5 }), (base, added) => {
        const diagnostics: never[] = [];
        const list = toNode({ seq: base });
        const appended = mergeValue(list, toNode({ map: [["$append", { seq: added }]] }), { diagnostics });
        const removed = mergeValue(appended, toNode({ map: [["$remove", { seq: added }]] }), { diagnostics });
        expect(removed && pyDumps(dumpRaw(removed))).toBe(pyDumps(base));
        expect(diagnostics).toEqual([]);
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});
