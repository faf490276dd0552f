/**
 * What a compile result says about each environment beyond its headers: the environments the
 * config defines, the values as sent, where each value was written, and the policy code as
 * checked. `explain`, `print` and `review` are built on these (docs/library-api.md).
 */
import { knownDetails, type CompileDetails, type CompileResult, type PolicyCodeSource, type PySections } from "./compile.js";
import type { SourceLocation } from "./diagnostics/index.js";
import type { LNode } from "./load/lnode.js";
import { locate } from "./load/source.js";
import { SECTION_NAMES } from "./schema/sections.js";
import { nodeAt } from "./validate/locate.js";

/** What compiling learnt about `result`; a result compile() did not return is a caller's mistake, said at once. */
function detailsOf(result: CompileResult): CompileDetails {
  const details = knownDetails(result);
  if (!details) throw new TypeError("not a result compile() returned: pass the object it returned, not a copy ({ ...result } loses what it knows)");
  if (!details.inspectable) throw new TypeError("this result was compiled with { inspect: false }, which keeps nothing to inspect");
  return details;
}

export interface DefinedEnvironment {
  name: string;
  /** Where its key is written under `environments`. */
  location: SourceLocation;
}

/** Every environment the config defines, in file order, selected with `-e` or not; empty when the file did not load. */
export function definedEnvironments(result: CompileResult): DefinedEnvironment[] {
  return [...detailsOf(result).environmentKeys].map(([name, span]) => ({ name, location: locate(span) }));
}

/**
 * One compiled environment's sections as sent (defaults filled in, `$overrides` applied), as
 * Python's json module sees them: `pyDumps` of a section is its header, byte for byte. Undefined
 * for an environment that was not compiled.
 */
export function effectiveSections(result: CompileResult, environment: string): PySections | undefined {
  return detailsOf(result).pySections.get(environment);
}

/** A value as written in a layer: scalars as read, lists and mappings by their shape. */
export type WrittenValue =
  | { kind: "scalar"; value: string | number | bigint | boolean | null }
  | { kind: "list"; length: number }
  /** An empty mapping: a non-empty one is listed by its fields. */
  | { kind: "map" };

export interface ValueSource {
  /** Dotted path from the section: `config.fsm.max_n_turns`; list items are not walked into. */
  field: string;
  value: WrittenValue;
  /** The layer that set it: a position in the config, an imported config or a policy file. */
  location: SourceLocation;
  /** Set by `$overrides`: sent as written, unvalidated, whatever the layers said. */
  override: boolean;
}

/**
 * Every merged value of one environment under `field` (a section, or a dotted path into one; all
 * sections when absent), with where it was written. A field `$overrides` sets is listed once, with
 * the override as its source. Empty when nothing is set there or the environment was not compiled.
 */
export function valueSources(result: CompileResult, environment: string, field?: string): ValueSource[] {
  const details = detailsOf(result);
  const merged = details.merged.get(environment) ?? {};
  const overrides = details.overrides.get(environment) ?? {};
  const [section, ...keys] = field ? field.split(".").filter(Boolean) : [];
  const out: ValueSource[] = [];
  for (const name of SECTION_NAMES) {
    if (section !== undefined && section !== name) continue;
    const byField = new Map<string, ValueSource>();
    const base = [name, ...keys].join(".");
    const node = valueAt(merged[name], keys);
    if (node) collect(node, base, false, byField);
    const override = valueAt(overrides[name], keys);
    if (override) collect(override, base, true, byField);
    out.push(...byField.values());
  }
  return out;
}

/** The policy code an environment sends, as checked (before `--minify-policy`), with a map back to where each character was written. */
export function policySource(result: CompileResult, environment: string): PolicyCodeSource | undefined {
  return detailsOf(result).policyCode.get(environment);
}

const valueAt = (root: LNode | undefined, keys: readonly string[]): LNode | undefined => (root ? nodeAt(root, keys)?.node : undefined);

function collect(node: LNode, field: string, override: boolean, out: Map<string, ValueSource>): void {
  if (node.kind === "map" && node.entries.size > 0) {
    for (const [k, e] of node.entries) collect(e.value, `${field}.${k}`, override, out);
    return;
  }
  const value: WrittenValue =
    node.kind === "seq" ? { kind: "list", length: node.items.length } : node.kind === "map" ? { kind: "map" } : { kind: "scalar", value: node.value };
  out.set(field, { field, value, location: locate(node.span), override });
}
