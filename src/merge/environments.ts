/** The environments of a validated config file, in file order, and how each one merges. */
import type { Diagnostic } from "../diagnostics/index.js";
import type { LMap, LNode } from "../load/lnode.js";
import { SECTION_NAMES, type SectionName } from "../schema/sections.js";
import type { Span } from "../load/source.js";
import { linearizer, orderNames, type BlockGraph, type MergeOrder } from "./layers.js";
import { mergeValue } from "./merge.js";
import { expandLayerSection, mergeRaw } from "./presets.js";

export interface EnvironmentEntry {
  name: string;
  keySpan: Span;
  /** The block as written; `undefined` for `name:` with no value. */
  block: LMap | undefined;
}

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

/** What the layers merged so far hold; shared by every environment whose order starts with them. */
interface MergeState {
  sections: Partial<Record<SectionName, LNode>>;
  overrides: Partial<Record<SectionName, LNode>>;
  /** Problems found so far (tagged with each environment that uses them). */
  diagnostics: Diagnostic[];
}

/**
 * Merges environments of one config, reusing work: an environment's order shares its links with
 * the orders of the environments it extends (see MergeOrder), and the state after each link is
 * kept, so a chain of N environments costs N block merges, not N²/2. `defaults` (the config's
 * own) is the first layer of every environment; the graph holds every other block.
 */
export function environmentMerger(defaults: LMap | undefined, graph: BlockGraph): (name: string) => MergeResult {
  const orderOf = linearizer(graph);
  const empty: MergeState = { sections: {}, overrides: {}, diagnostics: [] };
  const base = defaults ? step(empty, defaults) : empty;
  const states = new Map<MergeOrder, MergeState>();
  const stateOf = (order: MergeOrder): MergeState => {
    // Walk back to a link already merged (or the start), then merge forward: no recursion.
    const pending: MergeOrder[] = [];
    let o: MergeOrder | undefined = order;
    while (o && !states.has(o)) {
      pending.push(o);
      o = o.before;
    }
    let state = o ? (states.get(o) as MergeState) : base;
    for (let i = pending.length - 1; i >= 0; i--) {
      const link = pending[i] as MergeOrder;
      state = step(state, graph.get(link.name)?.block);
      states.set(link, state);
    }
    return state;
  };
  return (name) => {
    const order = orderOf(name);
    if (!order.ok) return { ok: false, diagnostics: order.diagnostics };
    const state = stateOf(order.order);
    if (state.diagnostics.length > 0) return { ok: false, diagnostics: state.diagnostics.map((d) => ({ ...d, environments: [name] })) };
    const layers = [...(defaults ? ["defaults"] : []), ...orderNames(order.order)];
    return { ok: true, env: { name, sections: state.sections, overrides: state.overrides, layers } };
  };
}

/** Merges one block over a state (neither is changed). */
function step(previous: MergeState, block: LMap | undefined): MergeState {
  const diagnostics: Diagnostic[] = [...previous.diagnostics];
  const sections = { ...previous.sections };
  const overrides = { ...previous.overrides };
  const ctx = { diagnostics };
  for (const section of SECTION_NAMES) {
    const written = block?.entries.get(section)?.value;
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
  return { sections, overrides, diagnostics };
}
