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
 * One message per cycle, whichever environment runs into it: the cycle is told from the
 * environment that comes first in the file, and located at the `extends` entry that closes it.
 */
function cycleError(cycle: string[], environments: ReadonlyMap<string, EnvironmentEntry>, env: string): Diagnostic {
  const order = [...environments.keys()];
  const first = cycle.reduce((a, b) => (order.indexOf(b) < order.indexOf(a) ? b : a));
  const i = cycle.indexOf(first);
  const rotated = [...cycle.slice(i), ...cycle.slice(0, i)];
  const last = rotated[rotated.length - 1] as string;
  const closing = extendsOf(environments.get(last)?.block).find((p) => p.name === first);
  const span = closing?.span ?? (environments.get(last) as EnvironmentEntry).keySpan;
  return error("extends-cycle", `\`extends\` forms a cycle: ${[...rotated, first].join(" -> ")}`, locate(span), { environments: [env] });
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
        diagnostics.push(cycleError(chain.slice(chain.indexOf(parent.name)), environments, name));
        continue;
      }
      const target = environments.get(parent.name);
      if (!target) {
        const known = [...environments.keys()].join(", ");
        diagnostics.push(
          error("unknown-environment", `\`extends\` names unknown environment "${parent.name}" (chain: ${path.join(" -> ")}; known: ${known})`, locate(parent.span), {
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
