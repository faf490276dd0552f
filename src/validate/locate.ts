import type { LEntry, LNode } from "../load/lnode.js";

/** One key as a JSON Pointer segment (the inverse of pointerKeys' unescaping). */
export function pointerKey(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Splits a JSON Pointer (ajv's instancePath) into keys. */
export function pointerKeys(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** In a list, the item `key` names: by index, or (named lists such as `content_classifiers`) by its `name`. */
export function itemAt(items: readonly LNode[], key: string): LNode | undefined {
  if (/^\d+$/.test(key)) return items[Number(key)];
  return items.find((i) => {
    const name = i.kind === "map" ? i.entries.get("name")?.value : undefined;
    return name?.kind === "scalar" && name.value === key;
  });
}

/**
 * The node at `keys` below `root`, and the mapping entry that holds it (for key positions). A list
 * item is named by its index or, as review and diff name them, by its `name`.
 */
export function nodeAt(root: LNode, keys: readonly string[]): { node: LNode; entry?: LEntry } | undefined {
  let node: LNode = root;
  let entry: LEntry | undefined;
  for (const key of keys) {
    if (node.kind === "map") {
      const e = node.entries.get(key);
      if (!e) return undefined;
      entry = e;
      node = e.value;
    } else if (node.kind === "seq") {
      const item = itemAt(node.items, key);
      if (!item) return undefined;
      entry = undefined;
      node = item;
    } else return undefined;
  }
  return entry ? { node, entry } : { node };
}

/** `features.content_classifiers[0].threshold` for messages. */
export function fieldPath(keys: readonly (string | number)[]): string {
  let out = "";
  for (const k of keys) {
    if (typeof k === "number" || /^\d+$/.test(k)) out += `[${k}]`;
    else out += out ? `.${k}` : k;
  }
  return out;
}
