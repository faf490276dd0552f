/** Which blocks make up an environment, in merge order (product.md, "Layers and merge rules"). */
import { error, type Diagnostic } from "../diagnostics/index.js";
import type { LMap } from "../load/lnode.js";
import { locate, type Span } from "../load/source.js";

/**
 * The unit prefix of a block's name (graph.ts names an imported config's blocks `org/`, `org/prod`):
 * environment names hold no `/`, so it is everything up to the last one; "" for the config's own.
 */
export const unitPrefixOf = (block: string): string => block.slice(0, block.lastIndexOf("/") + 1);

/** A block `extends` names, where it is named. */
export interface BlockRef {
  name: string;
  span: Span;
}

/**
 * A block an environment can be made of: an environment of the config, or an imported config's
 * defaults or environment (graph.ts names them and resolves every `extends` into `parents`).
 */
export interface GraphNode {
  name: string;
  /** The block as written; `undefined` for `name:` with no value. */
  block: LMap | undefined;
  /** The blocks that come before this one, in order; only names the graph holds. */
  parents: BlockRef[];
  /** Why some `extends` entry could not be followed: the node's environments fail with these. */
  errors: Diagnostic[];
}

/** Every block by name: the config's environments first, in file order, then the imported blocks. */
export type BlockGraph = ReadonlyMap<string, GraphNode>;

/**
 * A merge order as a list linked from its end: the last block and the order before it. An
 * environment with one parent extends that parent's order by one link, so environments that
 * extend others share their orders (and, in the merge, the states those orders lead to).
 */
export interface MergeOrder {
  name: string;
  before: MergeOrder | undefined;
  length: number;
}

export type Linearized = { ok: true; order: MergeOrder } | { ok: false; diagnostics: Diagnostic[] };

const link = (name: string, before: MergeOrder | undefined): MergeOrder => ({ name, before, length: (before?.length ?? 0) + 1 });

/** The block names of an order, first to last. */
export function orderNames(order: MergeOrder): string[] {
  const names = new Array<string>(order.length);
  for (let o: MergeOrder | undefined = order, i = order.length - 1; o; o = o.before, i--) names[i] = o.name;
  return names;
}

/**
 * One message per cycle, whichever environment runs into it: the cycle is told from the
 * environment that comes first in the file, and located at the `extends` entry that closes it.
 */
function cycleError(cycle: string[], graph: BlockGraph, env: string): Diagnostic {
  const rank = new Map([...graph.keys()].map((name, i) => [name, i]));
  const first = cycle.reduce((a, b) => ((rank.get(b) ?? 0) < (rank.get(a) ?? 0) ? b : a));
  const i = cycle.indexOf(first);
  const rotated = [...cycle.slice(i), ...cycle.slice(0, i)];
  const last = rotated[rotated.length - 1] as string;
  // The last block of the cycle names the first among its parents: that entry closes it.
  const closing = graph.get(last)?.parents.find((p) => p.name === first) as BlockRef;
  // A cycle inside an imported config is told with the names that file writes (a cycle cannot
  // cross configs: that would be an import cycle), and which import it is.
  const unit = unitPrefixOf(first);
  const prefix = rotated.every((n) => n.startsWith(unit)) ? unit : "";
  const shown = [...rotated, first].map((n) => n.slice(prefix.length)).join(" -> ");
  const where = prefix ? ` (in the config imported as ${prefix.slice(0, -1)})` : "";
  return error("extends-cycle", `\`extends\` forms a cycle: ${shown}${where}`, locate(closing.span), { environments: [env] });
}

/**
 * Depth-first over each `extends` list in order, parents before children, each block once.
 * With `c: {extends: [b, a]}` and `b: {extends: a}` the blocks are a, b, c.
 *
 * An environment's order is its parents' orders concatenated (leaving out blocks already
 * taken), then itself: a block already taken has had all its ancestors taken before it, so
 * skipping it skips nothing else. That makes each environment's order reusable by every
 * environment that extends it: the linearizer computes each once, with an explicit stack, so
 * a chain thousands deep costs neither quadratic time nor the call stack.
 */
export function linearizer(graph: BlockGraph): (name: string) => Linearized {
  const memo = new Map<string, Linearized>();
  interface Frame {
    name: string;
    parents: BlockRef[];
    next: number;
    errors: Diagnostic[];
  }
  const compute = (start: string): void => {
    const stack: Frame[] = [];
    const onStack = new Set<string>();
    const push = (name: string) => {
      const node = graph.get(name);
      stack.push({ name, parents: node?.parents ?? [], next: 0, errors: [...(node?.errors ?? [])] });
      onStack.add(name);
    };
    push(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as Frame;
      if (frame.next < frame.parents.length) {
        const parent = frame.parents[frame.next++] as BlockRef;
        if (memo.has(parent.name)) continue;
        if (onStack.has(parent.name)) {
          const names = stack.map((f) => f.name);
          frame.errors.push(cycleError(names.slice(names.indexOf(parent.name)), graph, frame.name));
        } else {
          push(parent.name);
        }
        continue;
      }
      stack.pop();
      onStack.delete(frame.name);
      const diagnostics = [...frame.errors];
      const orders: MergeOrder[] = [];
      for (const parent of frame.parents) {
        const order = memo.get(parent.name);
        // A parent on the stack is a cycle, reported above; an unknown one likewise.
        if (!order) continue;
        if (order.ok) orders.push(order.order);
        else diagnostics.push(...order.diagnostics);
      }
      memo.set(frame.name, diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, order: link(frame.name, concat(orders)) });
    }
  };
  return (name) => {
    if (!graph.has(name)) return { ok: false, diagnostics: [error("unknown-environment", `unknown environment "${name}"`)] };
    if (!memo.has(name)) compute(name);
    const order = memo.get(name) as Linearized;
    // Diagnostics found through a parent name this environment too.
    return order.ok ? order : { ok: false, diagnostics: order.diagnostics.map((d) => ({ ...d, environments: [name] })) };
  };
}

/** Parents' orders one after the other, leaving out blocks already taken; the first is shared as is. */
function concat(orders: MergeOrder[]): MergeOrder | undefined {
  let result = orders[0];
  if (orders.length < 2 || !result) return result;
  const taken = new Set(orderNames(result));
  for (const order of orders.slice(1)) {
    for (const name of orderNames(order)) {
      if (taken.has(name)) continue;
      taken.add(name);
      result = link(name, result);
    }
  }
  return result;
}
