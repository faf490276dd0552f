/** Which blocks make up an environment, in merge order (product.md, "Layers and merge rules"). */
import { error, type Diagnostic } from "../diagnostics/index.js";
import type { LMap, LNode } from "../load/lnode.js";
import { locate, type Span } from "../load/source.js";

export interface EnvironmentEntry {
  name: string;
  keySpan: Span;
  /** The block as written; `undefined` for `name:` with no value. */
  block: LMap | undefined;
}

export type Linearized = { ok: true; names: string[] } | { ok: false; diagnostics: Diagnostic[] };

function extendsOf(block: LMap | undefined): { name: string; span: Span }[] {
  const ext: LNode | undefined = block?.entries.get("extends")?.value;
  if (!ext) return [];
  const items = ext.kind === "seq" ? ext.items : [ext];
  return items.flatMap((n) => (n.kind === "scalar" && typeof n.value === "string" ? [{ name: n.value, span: n.span }] : []));
}

/**
 * Depth-first over each `extends` list in order, parents before children, each block once.
 * With `c: {extends: [b, a]}` and `b: {extends: a}` the blocks are a, b, c.
 */
export function linearize(name: string, environments: ReadonlyMap<string, EnvironmentEntry>): Linearized {
  const taken: string[] = [];
  const takenSet = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const visit = (env: EnvironmentEntry, chain: string[]): void => {
    for (const parent of extendsOf(env.block)) {
      const path = [...chain, parent.name];
      if (chain.includes(parent.name)) {
        diagnostics.push(error("extends-cycle", `\`extends\` forms a cycle: ${path.join(" -> ")}`, locate(parent.span), { environments: [name] }));
        continue;
      }
      const target = environments.get(parent.name);
      if (!target) {
        const known = [...environments.keys()].join(", ");
        diagnostics.push(
          error("unknown-environment", `\`extends\` names unknown environment "${parent.name}" (chain: ${path.join(" -> ")}; environments: ${known})`, locate(parent.span), {
            environments: [name],
          }),
        );
        continue;
      }
      if (takenSet.has(parent.name)) continue;
      visit(target, path);
      if (!takenSet.has(parent.name)) {
        takenSet.add(parent.name);
        taken.push(parent.name);
      }
    }
  };
  const self = environments.get(name);
  if (!self) return { ok: false, diagnostics: [error("unknown-environment", `unknown environment "${name}"`)] };
  visit(self, [name]);
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  taken.push(name);
  return { ok: true, names: taken };
}
