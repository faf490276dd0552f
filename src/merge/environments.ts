/** The environments of a validated config file, in file order, and how each one merges. */
import type { Diagnostic } from "../diagnostics/index.js";
import type { LMap, LNode } from "../load/lnode.js";
import { SECTION_NAMES, type SectionName } from "../schema/sections.js";
import { linearize, type EnvironmentEntry } from "./layers.js";
import { mergeValue } from "./merge.js";
import { expandLayerSection, mergeRaw } from "./presets.js";

export type { EnvironmentEntry } from "./layers.js";

export interface ConfigStructure {
  defaults: LMap | undefined;
  environments: Map<string, EnvironmentEntry>;
}

/** Reads `defaults` and `environments` (shape already checked against the file schema). */
export function readStructure(root: LMap): ConfigStructure {
  const d = root.entries.get("defaults")?.value;
  const envs = root.entries.get("environments")?.value;
  const environments = new Map<string, EnvironmentEntry>();
  if (envs?.kind === "map") {
    for (const [name, e] of envs.entries) {
      environments.set(name, { name, keySpan: e.keySpan, block: e.value.kind === "map" ? e.value : undefined });
    }
  }
  return { defaults: d?.kind === "map" ? d : undefined, environments };
}

export interface MergedEnvironment {
  name: string;
  /** Merged sections; an absent section gives no header. */
  sections: Partial<Record<SectionName, LNode>>;
  /** Each section's `$overrides`, merged raw across layers. */
  overrides: Partial<Record<SectionName, LNode>>;
  /** The blocks merged, first to last, by name (`defaults` first when present). */
  layers: string[];
}

export type MergeResult = { ok: true; env: MergedEnvironment } | { ok: false; diagnostics: Diagnostic[] };

export function mergeEnvironment(name: string, structure: ConfigStructure): MergeResult {
  const order = linearize(name, structure.environments);
  if (!order.ok) return { ok: false, diagnostics: order.diagnostics };
  const blocks: { name: string; block: LMap | undefined }[] = [];
  if (structure.defaults) blocks.push({ name: "defaults", block: structure.defaults });
  for (const n of order.names) blocks.push({ name: n, block: structure.environments.get(n)?.block });

  const diagnostics: Diagnostic[] = [];
  const ctx = { diagnostics, environment: name };
  const sections: Partial<Record<SectionName, LNode>> = {};
  const overrides: Partial<Record<SectionName, LNode>> = {};
  for (const { block } of blocks) {
    if (!block) continue;
    for (const section of SECTION_NAMES) {
      const written = block.entries.get(section)?.value;
      if (!written) continue;
      const layer = expandLayerSection(section, written, ctx);
      const merged = mergeValue(layer.replace ? undefined : sections[section], layer.node, ctx);
      if (merged === undefined) delete sections[section];
      else sections[section] = merged;
      if (merged === undefined || layer.replace) delete overrides[section];
      if (layer.overrides) {
        const o = layer.overrides.kind === "scalar" && layer.overrides.value === null ? undefined : mergeRaw(overrides[section], layer.overrides);
        if (o) overrides[section] = o;
        else delete overrides[section];
      }
    }
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, env: { name, sections, overrides, layers: blocks.map((b) => b.name) } };
}
