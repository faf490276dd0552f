import type * as A from "./ast.js";

/**
 * A block's priority: its `priority N;` member (`[N]` for a shorthand), 0 without
 * one; when a block has several, the last one counts, as a later setting would.
 * A bigint: INT has no size limit, and priorities are compared exactly.
 */
export function blockPriority(decl: A.ToolDecl | A.ToolShorthand): bigint {
  if (decl.kind === "ToolShorthand") return decl.priority ? BigInt(decl.priority.raw) : 0n;
  let priority = 0n;
  for (const m of decl.members) if (m.kind === "Priority") priority = BigInt(m.value.raw);
  return priority;
}
