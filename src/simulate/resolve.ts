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

const MAX_UNKNOWN_CONDITIONS = 12;

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
  /** Which step decided: 1 hard deny, 2 hard allow, 3 soft, 4 allow-list or default. */
  step: 1 | 2 | 3 | 4;
  /** The deciding candidate(s): the first hard deny (and an applicable hard allow), hard allow, or soft rule. */
  first?: Candidate;
  alsoAllow?: Candidate;
  /** A hard default removed a present soft rule. */
  removed: boolean;
}

function byOrder(a: Candidate, b: Candidate): number {
  return Number(Boolean(b.internal)) - Number(Boolean(a.internal)) || b.priority - a.priority || a.order - b.order;
}

function ruleDecided(c: Candidate, allowList = false): DecidedBy {
  return c.internal ? { kind: "internal", candidate: c } : { kind: "rule", candidate: c, allowList };
}

type Test = (c: Candidate) => boolean;

/** The verdict when each candidate's block match and condition are known (as `inBlock` / `applies` say). */
function decide(candidates: readonly Candidate[], presets: Presets, inBlock: Test, applies: Test): Decided {
  const d = decideWith(candidates, presets, inBlock, applies, presets.hardDefault);
  // D8 counts when removing the soft rules of the opposite outcome changed the verdict.
  if (d.removed && decideWith(candidates, presets, inBlock, applies, false).allow !== d.allow) d.mask |= D.hardDefault;
  return d;
}

/** One pass over the candidates, in resolution order. */
function decideWith(candidates: readonly Candidate[], presets: Presets, inBlock: Test, applies: Test, hardDefault: boolean): Decided {
  let firstDeny: Candidate | undefined;
  let firstAllow: Candidate | undefined;
  let firstSoft: Candidate | undefined;
  let firstAllowRule: Candidate | undefined;
  let hardAllowRule = false;
  let conflict = false;
  let removed = false;
  for (const c of candidates) {
    if (!inBlock(c)) continue;
    if (c.allow) {
      firstAllowRule ??= c;
      hardAllowRule ||= c.hard;
    }
    if (c.hard) {
      if (applies(c)) {
        if (c.allow) firstAllow ??= c;
        else firstDeny ??= c;
      }
      continue;
    }
    if (hardDefault && c.allow !== presets.defaultAllow) {
      removed = true;
      continue;
    }
    if (!applies(c)) continue;
    if (!firstSoft) firstSoft = c;
    else if (c.allow !== firstSoft.allow) conflict = true;
  }
  if (firstDeny)
    return {
      allow: false,
      by: ruleDecided(firstDeny),
      mask: firstAllow ? D.hardDenyOverAllow : 0,
      step: 1,
      first: firstDeny,
      ...(firstAllow ? { alsoAllow: firstAllow } : {}),
      removed,
    };
  if (firstAllow) return { allow: true, by: ruleDecided(firstAllow), mask: 0, step: 2, first: firstAllow, removed };
  if (firstSoft) {
    const mask = conflict ? (firstSoft.internal ? D.softOrder | D.llmBlockedFirst : D.softOrder) : 0;
    return { allow: firstSoft.allow, by: ruleDecided(firstSoft), mask, step: 3, first: firstSoft, removed };
  }
  // Steps 3.4 and 3.5: a tool with allow rules is allow-listed; otherwise `default_allow`.
  if (firstAllowRule) return { allow: false, by: ruleDecided(firstAllowRule, true), mask: hardAllowRule ? 0 : D.softAllowList, step: 4, removed };
  return { allow: presets.defaultAllow, by: { kind: "default" }, mask: 0, step: 4, removed };
}

/** The candidates whose conditions the decision rested on: those looked at up to the deciding one. */
function relevantTo(d: Decided, candidates: readonly Candidate[], inBlock: Test): Candidate[] {
  const present = candidates.filter(inBlock);
  switch (d.step) {
    case 1:
      return d.alsoAllow ? [d.first as Candidate, d.alsoAllow] : [d.first as Candidate];
    case 2:
      return [...present.filter((c) => c.hard && !c.allow), d.first as Candidate];
    case 3:
      return present.filter((c) => c.hard || byOrder(c, d.first as Candidate) <= 0);
    case 4:
      return present;
  }
}

/** Resolves the call; `candidates` must hold every rule of every block that matches or may match. */
export function resolve(all: readonly Candidate[], presets: Presets): Resolution {
  if (all.length === 0) return { verdict: presets.defaultAllow ? "allow" : "deny", decidedBy: { kind: "default" }, mask: 0, reasons: [] };
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
    return {
      verdict: "undetermined",
      decidedBy: null,
      mask: u.mask,
      reasons: [`${variables} unknown conditions, more than the ${MAX_UNKNOWN_CONDITIONS} the simulator enumerates`, ...u.reasons],
    };
  }
  let verdict: boolean | undefined;
  let agreed = true;
  let first: Decided | undefined;
  let mask = 0;
  const relevant = new Set<Candidate>();
  // Traces carry decisions and reasons only when some condition relied on something.
  const traced = candidates.some((c) => c.trace.mask !== 0 || c.trace.reasons.length > 0);
  for (let assignment = 0; assignment < 1 << variables; assignment++) {
    const bit = (i: number) => (assignment >> i) & 1;
    const inBlock = (c: Candidate) => c.matches === true || (c.matches === null && bit(unknownBlocks.indexOf(c.block)) === 1);
    const applies = (c: Candidate) => c.condition === true || (c.condition === null && bit(unknownBlocks.length + unknownConditions.indexOf(c)) === 1);
    const d = decide(candidates, presets, inBlock, applies);
    first ??= d;
    if (verdict === undefined) verdict = d.allow;
    else if (verdict !== d.allow) agreed = false;
    mask |= d.mask;
    if (traced) for (const c of relevantTo(d, candidates, inBlock)) relevant.add(c);
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
