/**
 * Rule resolution for one call (policy-semantics.md step 3): hard deny over hard allow (D12), then
 * hard allow, then the first applicable soft rule in block-priority and source order (D7) after a
 * hard default has removed the soft rules of the opposite outcome (D8), then the allow-list rule
 * (D13), then `default_allow`. Unknown conditions are decided under every true/false assignment,
 * up to 12 of them; the verdict stands only when every assignment agrees.
 */
import { D, type Trace } from "./decisions.js";
import type { Tri } from "./kleene.js";
import type { Rule } from "./program.js";

export const MAX_UNKNOWN_CONDITIONS = 12;

/** A check rule taking part in one call: a user rule or an internal policy's rule. */
export interface Candidate {
  rule?: Rule;
  /** For an internal policy's rule: the preset that makes it. */
  internal?: string;
  hard: boolean;
  allow: boolean;
  /** Whether its block matches the call (unknown: a tool-id regex whose readings disagree). */
  matches: Tri;
  /** Identifies the block for the allow-list rule and for a shared block-match unknown. */
  block: number;
  /** Whether its condition holds. */
  condition: Tri;
  /** What evaluating the condition (and the block match) relied on. */
  trace: Trace;
  /** Resolution order: internal rules first (D16), then block priority (highest first), then source order. */
  priority: number;
  order: number;
}

export interface Presets {
  defaultAllow: boolean;
  hardDefault: boolean;
}

export type DecidedBy = { kind: "rule"; candidate: Candidate; allowList: boolean } | { kind: "internal"; candidate: Candidate } | { kind: "default" };

export interface Resolution {
  verdict: "allow" | "deny" | "undetermined";
  decidedBy: DecidedBy | null;
  mask: number;
  reasons: string[];
}

interface Decided {
  allow: boolean;
  by: DecidedBy;
  mask: number;
  relevant: Candidate[];
}

function byOrder(a: Candidate, b: Candidate): number {
  return Number(Boolean(b.internal)) - Number(Boolean(a.internal)) || b.priority - a.priority || a.order - b.order;
}

function ruleDecided(c: Candidate, allowList = false): DecidedBy {
  return c.internal ? { kind: "internal", candidate: c } : { kind: "rule", candidate: c, allowList };
}

/** The verdict when each candidate's block match and condition are known (as `inBlock` / `applies` say). */
function decide(candidates: readonly Candidate[], presets: Presets, inBlock: (c: Candidate) => boolean, applies: (c: Candidate) => boolean): Decided {
  const d = decideWith(candidates, presets, inBlock, applies, presets.hardDefault);
  // D8 counts when removing the soft rules of the opposite outcome changed the verdict.
  if (presets.hardDefault && decideWith(candidates, presets, inBlock, applies, false).allow !== d.allow) d.mask |= D.hardDefault;
  return d;
}

function decideWith(candidates: readonly Candidate[], presets: Presets, inBlock: (c: Candidate) => boolean, applies: (c: Candidate) => boolean, hardDefault: boolean): Decided {
  const present = candidates.filter(inBlock);
  const applicable = present.filter(applies);
  const hardDeny = applicable.filter((c) => c.hard && !c.allow);
  const hardAllow = applicable.filter((c) => c.hard && c.allow);
  const hard = present.filter((c) => c.hard);
  const firstDeny = hardDeny[0];
  const firstAllow = hardAllow[0];
  if (firstDeny) {
    return { allow: false, by: ruleDecided(firstDeny), mask: firstAllow ? D.hardDenyOverAllow : 0, relevant: firstAllow ? [firstDeny, firstAllow] : [firstDeny] };
  }
  if (firstAllow) return { allow: true, by: ruleDecided(firstAllow), mask: 0, relevant: [...hard.filter((c) => !c.allow), firstAllow] };
  const soft = present.filter((c) => !c.hard && !(hardDefault && c.allow !== presets.defaultAllow));
  const softApplicable = soft.filter(applies);
  const first = softApplicable[0];
  if (first) {
    let mask = 0;
    if (softApplicable.some((c) => c.allow !== first.allow)) mask |= first.internal ? D.softOrder | D.llmBlockedFirst : D.softOrder;
    const upTo = soft.filter((c) => byOrder(c, first) <= 0);
    return { allow: first.allow, by: ruleDecided(first), mask, relevant: [...hard, ...upTo] };
  }
  return { ...allowListOrDefault(present, presets), relevant: present };
}

/** Steps 3.4 and 3.5: a tool with allow rules is allow-listed; otherwise `default_allow`. */
function allowListOrDefault(present: readonly Candidate[], presets: Presets): { allow: boolean; by: DecidedBy; mask: number } {
  const allows = present.filter((c) => c.allow);
  const firstAllow = allows[0];
  if (firstAllow) return { allow: false, by: ruleDecided(firstAllow, true), mask: allows.some((c) => c.hard) ? 0 : D.softAllowList };
  return { allow: presets.defaultAllow, by: { kind: "default" }, mask: 0 };
}

/** Resolves the call; `candidates` must hold every rule of every block that matches or may match. */
export function resolve(all: readonly Candidate[], presets: Presets): Resolution {
  const candidates = all.filter((c) => c.matches !== false).sort(byOrder);
  // A known-applicable hard deny decides whatever the unknowns are.
  const sure = candidates.find((c) => c.hard && !c.allow && c.matches === true && c.condition === true);
  const unknownBlocks = [...new Set(candidates.filter((c) => c.matches === null).map((c) => c.block))];
  const unknownConditions = candidates.filter((c) => c.condition === null);
  // (With none, `bit` is always 0: unknowns count as not applying, and cannot change a hard deny.)
  const variables = sure ? 0 : unknownBlocks.length + unknownConditions.length;
  const unknownReasons = (): { mask: number; reasons: string[] } => {
    let mask = 0;
    const reasons: string[] = [];
    for (const c of candidates) {
      if (c.matches !== null && c.condition !== null) continue;
      mask |= c.trace.mask;
      for (const r of c.trace.reasons) if (!reasons.includes(r)) reasons.push(r);
    }
    return { mask, reasons };
  };
  if (variables > MAX_UNKNOWN_CONDITIONS) {
    const u = unknownReasons();
    return { verdict: "undetermined", decidedBy: null, mask: u.mask, reasons: [`${variables} unknown conditions, more than the ${MAX_UNKNOWN_CONDITIONS} the simulator enumerates`, ...u.reasons] };
  }
  let verdict: boolean | undefined;
  let agreed = true;
  let first: Decided | undefined;
  let mask = 0;
  const relevant = new Set<Candidate>();
  for (let assignment = 0; assignment < 1 << variables; assignment++) {
    const bit = (i: number) => (assignment >> i) & 1;
    const inBlock = (c: Candidate) => c.matches === true || (c.matches === null && bit(unknownBlocks.indexOf(c.block)) === 1);
    const applies = (c: Candidate) => c.condition === true || (c.condition === null && bit(unknownBlocks.length + unknownConditions.indexOf(c)) === 1);
    const d = decide(candidates, presets, inBlock, applies);
    first ??= d;
    if (verdict === undefined) verdict = d.allow;
    else if (verdict !== d.allow) agreed = false;
    mask |= d.mask;
    for (const c of d.relevant) relevant.add(c);
  }
  const reasons: string[] = [];
  for (const c of relevant) {
    mask |= c.trace.mask;
    for (const r of c.trace.reasons) if (!reasons.includes(r)) reasons.push(r);
  }
  if (variables > 0) {
    const u = unknownReasons();
    mask |= u.mask;
    for (const r of u.reasons) if (!reasons.includes(r)) reasons.push(r);
  }
  if (!agreed) return { verdict: "undetermined", decidedBy: null, mask, reasons };
  return { verdict: verdict ? "allow" : "deny", decidedBy: (first as Decided).by, mask, reasons };
}
