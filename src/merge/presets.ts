/** `$preset` expands to the SDK builder's result, the section's other keys merged over it; `$overrides` is set aside. */
import type { Diagnostic } from "../diagnostics/index.js";
import { fromPlain, type LMap, type LNode } from "../load/lnode.js";
import { PRESETS, type PresetName } from "../schema/presets.js";
import type { SectionName } from "../serialize/compiled.js";
import { mergeValue } from "./merge.js";

export interface ResolvedSection {
  node: LNode;
  /** Raw `$overrides`, deep-merged into the serialized header. */
  overrides?: LNode;
}

export function resolveSection(section: SectionName, node: LNode, diagnostics: Diagnostic[], environment: string): ResolvedSection {
  if (node.kind !== "map") return { node };
  const preset = node.entries.get("$preset");
  const overrides = node.entries.get("$overrides");
  if (!preset && !overrides) return { node };
  const entries = new Map(node.entries);
  entries.delete("$preset");
  entries.delete("$overrides");
  let rest: LNode = { ...node, entries } satisfies LMap;
  if (preset?.value.kind === "scalar") {
    const base = fromPlain(PRESETS[section][preset.value.value as PresetName], preset.value.span, "");
    rest = mergeValue(base, rest, { diagnostics, environment }) ?? rest;
  }
  return overrides ? { node: rest, overrides: overrides.value } : { node: rest };
}
