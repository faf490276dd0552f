import type { LNode } from "../load/lnode.js";

/** Value equality of two nodes (positions ignored; mapping key order ignored). */
export function nodesEqual(a: LNode, b: LNode): boolean {
  if (a.kind === "scalar" && b.kind === "scalar") {
    const x = a.value;
    const y = b.value;
    if ((typeof x === "number" || typeof x === "bigint") && (typeof y === "number" || typeof y === "bigint")) {
      return typeof x === typeof y ? x === y : Number(x) === Number(y) && BigInt(Math.trunc(Number(x))) === BigInt(Math.trunc(Number(y)));
    }
    return x === y;
  }
  if (a.kind === "seq" && b.kind === "seq") {
    return a.items.length === b.items.length && a.items.every((item, i) => nodesEqual(item, b.items[i] as LNode));
  }
  if (a.kind === "map" && b.kind === "map") {
    if (a.entries.size !== b.entries.size) return false;
    for (const [k, e] of a.entries) {
      const other = b.entries.get(k);
      if (!other || !nodesEqual(e.value, other.value)) return false;
    }
    return true;
  }
  return false;
}
