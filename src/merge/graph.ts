/**
 * The blocks of a config and of what it imports, as one graph for the linearizer: every `extends`
 * entry is resolved here, in the file that wrote it, to the block it names. In the config given,
 * blocks keep their environment names; an imported config's blocks are named by its unit's prefix
 * (`org/` for its defaults, `org/prod` for an environment), so the same import reached twice is the
 * same blocks, and each is taken once. An imported environment's chain starts with its own
 * config's defaults; the config given starts every chain with its defaults itself (merger base).
 */
import { error, type Diagnostic } from "../diagnostics/index.js";
import type { ConfigUnit } from "../load/imports.js";
import type { LMap } from "../load/lnode.js";
import { locate, type Span } from "../load/source.js";
import type { ConfigStructure } from "./environments.js";
import type { BlockRef, GraphNode } from "./layers.js";

/** A unit's structure, or undefined when it did not load or failed the file schema. */
export type StructureOf = (unit: ConfigUnit) => ConfigStructure | undefined;

export interface Graph {
  nodes: Map<string, GraphNode>;
  /** Problems with `imports` themselves (an alias that is also an environment name), with the unit they concern. */
  problems: { diagnostic: Diagnostic; unit: ConfigUnit }[];
}

function extendsOf(block: LMap | undefined): { name: string; span: Span }[] {
  const ext = block?.entries.get("extends")?.value;
  if (!ext) return [];
  const items = ext.kind === "seq" ? ext.items : [ext];
  return items.flatMap((n) => (n.kind === "scalar" && typeof n.value === "string" ? [{ name: n.value, span: n.span }] : []));
}

export function blockGraph(units: readonly ConfigUnit[], structureOf: StructureOf): Graph {
  const nodes = new Map<string, GraphNode>();
  const problems: Graph["problems"] = [];
  for (const unit of units) {
    const structure = structureOf(unit);
    const imported = unit.prefix !== "";
    if (imported) nodes.set(unit.prefix, { name: unit.prefix, block: structure?.defaults, parents: [], errors: [] });
    if (!structure) continue;
    for (const [alias, { unit: target, keySpan }] of unit.imports) {
      if (!structure.environments.has(alias)) continue;
      const message = `import alias "${alias}" is also an environment of this config, so \`extends: ${alias}\` would name both; rename one of them`;
      problems.push({ diagnostic: error("import-alias-conflict", message, locate(keySpan)), unit: target });
    }
    for (const [env, entry] of structure.environments) {
      const name = unit.prefix + env;
      const errors: Diagnostic[] = [];
      const parents: BlockRef[] = imported ? [{ name: unit.prefix, span: entry.keySpan }] : [];
      for (const ref of extendsOf(entry.block)) {
        const resolved = resolveRef(ref.name, unit, structure, structureOf);
        if (typeof resolved === "string") parents.push({ name: resolved, span: ref.span });
        else errors.push(error(resolved.code, resolved.message(env), locate(ref.span), { environments: [name] }));
      }
      nodes.set(name, { name, block: entry.block, parents, errors });
    }
  }
  return { nodes, problems };
}

type Unresolved = { code: "unknown-environment" | "unknown-import"; message: (env: string) => string };

/**
 * The block `ref` names in `unit`: one of its environments, an import's defaults (`org`), or an
 * imported environment (`org/prod`). A failed import resolves to its defaults, which the compiler
 * marks broken, so its users fail with the import's own error.
 */
function resolveRef(ref: string, unit: ConfigUnit, structure: ConfigStructure, structureOf: StructureOf): string | Unresolved {
  const slash = ref.indexOf("/");
  if (slash < 0) {
    if (structure.environments.has(ref)) return unit.prefix + ref;
    const imported = unit.imports.get(ref);
    if (imported) return imported.unit.prefix;
    const known = [...structure.environments.keys()].join(", ");
    return { code: "unknown-environment", message: (env) => `\`extends\` names unknown environment "${ref}" (chain: ${env} -> ${ref}; known: ${known})` };
  }
  const alias = ref.slice(0, slash);
  const name = ref.slice(slash + 1);
  const imported = unit.imports.get(alias)?.unit;
  if (!imported) {
    const aliases = [...unit.imports.keys()];
    const has = aliases.length > 0 ? `its imports are ${aliases.join(", ")}` : "it has no `imports`";
    return { code: "unknown-import", message: () => `\`extends\` names "${ref}", but this config imports nothing as "${alias}"; ${has}` };
  }
  const target = structureOf(imported);
  if (!target) return imported.prefix;
  if (target.environments.has(name)) return imported.prefix + name;
  const known = [...target.environments.keys()].join(", ") || "none";
  return {
    code: "unknown-environment",
    message: () =>
      `\`extends\` names "${ref}", but ${imported.file?.file ?? alias} (imported as ${alias}) defines no environment "${name}"; it defines: ${known}`,
  };
}
