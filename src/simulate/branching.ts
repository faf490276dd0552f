/**
 * A branch in the planner's program on a value, under `X-Policy.presets.branching_meta_policy`
 * (only in `policy.mode: custom`; elsewhere every branch is allowed). `deny` mode denies when, for
 * any non-empty list, the value's set of that name overlaps it; `allow` mode (the service's
 * whitelist) allows only when, for every non-empty list, the value's set is a subset of it (D11).
 * With every list empty, branching is allowed in either mode.
 */
import type * as A from "../check/sqrt/ast.js";
import { D, addTrace, emptyTrace, type Trace } from "./decisions.js";
import { UnknownField, type Meta } from "./evaluate.js";
import { and, or, type Tri } from "./kleene.js";
import { MetaSet, overlaps, setPredicate, subsetOf } from "./sets.js";

export interface BranchingPolicy {
  mode: "allow" | "deny";
  producers: readonly string[];
  consumers: readonly string[];
  tags: readonly string[];
}

const FIELDS: readonly A.MetaField[] = ["producers", "consumers", "tags"];

export interface BranchVerdict {
  verdict: "allow" | "deny" | "undetermined";
  trace: Trace;
}

export function decideBranch(meta: Meta, policy: BranchingPolicy): BranchVerdict {
  const trace = emptyTrace();
  const deny = policy.mode === "deny";
  let result: Tri = !deny;
  for (const field of FIELDS) {
    const list = policy[field];
    if (list.length === 0) continue;
    if (!deny) trace.mask |= D.branchAllowList;
    const value = meta[field];
    let holds: Tri;
    if (value instanceof UnknownField) {
      addTrace(trace, { mask: value.mask, reasons: [value.reason] });
      holds = null;
    } else holds = setPredicate(value, MetaSet.of(list), deny ? overlaps : subsetOf, trace);
    result = deny ? or(result, holds) : and(result, holds);
  }
  // In deny mode `result` says "some list is hit"; in allow mode, "every list holds the value".
  const allowed: Tri = deny ? (result === null ? null : !result) : result;
  return { verdict: allowed === null ? "undetermined" : allowed ? "allow" : "deny", trace };
}
