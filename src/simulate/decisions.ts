/**
 * The decisions of policy-semantics.md (D1…D16) a verdict or a metadata value rests on, as a bit
 * mask (bit N is DN) so that collecting them on every operation costs one `|`.
 */
export const D = {
  universal: 1 << 1,
  regexReadings: 1 << 2,
  missingArgument: 1 << 3,
  noResultYet: 1 << 4,
  blockOrder: 1 << 5,
  statementOrder: 1 << 6,
  softOrder: 1 << 7,
  hardDefault: 1 << 8,
  nonExecutableTiming: 1 << 9,
  branchAllowList: 1 << 11,
  hardDenyOverAllow: 1 << 12,
  softAllowList: 1 << 13,
  stringContents: 1 << 14,
  listValue: 1 << 15,
  llmBlockedFirst: 1 << 16,
} as const;

/** `["D2", "D9"]`: the decisions in a mask, sorted by number. */
export function decisionNames(mask: number): string[] {
  const out: string[] = [];
  for (let n = 1; n <= 16; n++) if (mask & (1 << n)) out.push(`D${n}`);
  return out;
}

/** What an evaluation relied on: decisions, and why anything was unknown (`"D3: ..."`). */
export interface Trace {
  mask: number;
  reasons: string[];
}

export function emptyTrace(): Trace {
  return { mask: 0, reasons: [] };
}

/** Adds `from` into `into`, keeping reasons unique and in first-seen order. */
export function addTrace(into: Trace, from: Trace): void {
  into.mask |= from.mask;
  for (const r of from.reasons) addReason(into, r);
}

export function addReason(into: Trace, reason: string): void {
  if (!into.reasons.includes(reason)) into.reasons.push(reason);
}
