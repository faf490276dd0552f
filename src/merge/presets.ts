/**
 * A section as one layer wrote it: `$preset` expands within the layer (the builder's result, the
 * mapping's other keys deep-merged over it, so `null` there can delete a preset field), and
 * `$overrides` is set aside, to be merged raw across layers and applied after serialization.
 */
import { error } from "../diagnostics/index.js";
import { fromPlain } from "../load/from-plain.js";
import type { LMap, LNode } from "../load/lnode.js";
import { locate } from "../load/source.js";
import { PRESETS, type PresetName } from "../schema/presets.js";
import type { SectionName } from "../schema/sections.js";
import { mergeValue, type MergeContext } from "./merge.js";

export interface LayerSection {
  /** What merges over the earlier layers' section (may still hold directives when no preset). */
  node: LNode;
  /** True when the layer replaces the section (`$replace`) instead of merging over it. */
  replace: boolean;
  /** `$overrides` of this layer: a mapping, `null` (drop earlier ones), or absent. */
  overrides?: LNode;
}

export function expandLayerSection(section: SectionName, written: LNode, ctx: MergeContext): LayerSection {
  if (written.kind !== "map") return { node: written, replace: false };
  const replaced = written.entries.size === 1 ? written.entries.get("$replace")?.value : undefined;
  if (replaced?.kind === "map") return { ...expandLayerSection(section, replaced, ctx), replace: true };
  const preset = written.entries.get("$preset")?.value;
  const overrides = written.entries.get("$overrides")?.value;
  if (!preset && !overrides) return { node: written, replace: false };
  const entries = new Map(written.entries);
  entries.delete("$preset");
  entries.delete("$overrides");
  let node: LNode = { ...written, entries } satisfies LMap;
  if (preset?.kind === "scalar" && typeof preset.value === "string") {
    const base = fromPlain(PRESETS[section][preset.value as PresetName], preset.span, "");
    node = mergeValue(base, node, ctx) ?? base;
  }
  if (overrides) refuseToolKeys(overrides, ctx);
  return overrides ? { node, replace: false, overrides } : { node, replace: false };
}

/** Keys starting with `$` are the tool's own and never reach a header, not even through $overrides. */
function refuseToolKeys(node: LNode, ctx: MergeContext): void {
  if (node.kind === "seq") node.items.forEach((n) => refuseToolKeys(n, ctx));
  if (node.kind !== "map") return;
  for (const [key, e] of node.entries) {
    if (key.startsWith("$")) {
      ctx.diagnostics.push(
        error("overrides-tool-key", `$overrides cannot set ${JSON.stringify(key)}: keys starting with $ never reach a header`, locate(e.keySpan)),
      );
    } else refuseToolKeys(e.value, ctx);
  }
}

/** The SDK's overrides rule between layers: mappings merge key by key, anything else (null too) replaces. */
export function mergeRaw(earlier: LNode | undefined, later: LNode): LNode {
  if (earlier?.kind !== "map" || later.kind !== "map") return later;
  const entries = new Map(earlier.entries);
  for (const [key, e] of later.entries) entries.set(key, { ...e, value: mergeRaw(entries.get(key)?.value, e.value) });
  return { kind: "map", entries, span: later.span };
}
