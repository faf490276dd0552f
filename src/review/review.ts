/**
 * A review: two compiled configs in, per environment the classified changes out. Pure: it reads
 * nothing, so the same engine serves `review` (a git revision or another file against the
 * working tree) and `diff` (two environments of one config).
 */
import { compileDetails, type CompileResult } from "../compile.js";
import { classifyVerdict } from "./classes.js";
import { CODE_PATH, fieldChange, fieldChanges } from "./fields.js";
import type { SourceLocation } from "../diagnostics/index.js";
import type { SideVerdictChange } from "../simulate/compare.js";
import {
  CLASSES,
  worse,
  type Change,
  type ChangeClass,
  type ChangeLocation,
  type EnvironmentReview,
  type Review,
  type TestChange,
  type Verdict,
} from "./model.js";
import { sidesOf, toLocation, wireValue, type EnvSide } from "./provenance.js";
import { ruleChanges, type Program } from "./rules.js";

/** One policy test case as run on both sides (the policy simulator's output, wired in by the caller). */
export interface TestVerdict {
  environment: string;
  case: string;
  file: string;
  before: Verdict;
  after: Verdict;
  location?: ChangeLocation;
}

export interface ReviewInput {
  base: Review["base"];
  /** Both compiled without errors. */
  before: CompileResult;
  after: CompileResult;
  tests?: readonly TestVerdict[];
}

/** Indexed SQRT programs by text, shared by every environment of one review. */
export type ProgramCache = Map<string, Program | undefined>;

/** Every change between two sides of one environment: fields, then policy rules, then test verdicts. */
export function environmentChanges(before: EnvSide, after: EnvSide, programs: ProgramCache = new Map(), tests: readonly TestVerdict[] = []): Change[] {
  const changes: Change[] = fieldChanges(before, after);
  const rules = ruleChanges({ before, after, programs });
  if (rules) changes.push(...rules);
  else {
    // Code that cannot be compared rule by rule is one change of the code field.
    const path = CODE_PATH.split(".");
    changes.push(fieldChange(path, wireValue(before.sections, path), wireValue(after.sections, path), before, after));
  }
  changes.push(...testChanges(tests));
  return changes;
}

/** The test cases whose verdict changed, classified. */
export function testChanges(tests: readonly TestVerdict[]): TestChange[] {
  return tests.flatMap((t) => {
    const cls = classifyVerdict(t.before, t.after);
    return cls
      ? [{ kind: "test" as const, case: t.case, file: t.file, class: cls, before: t.before, after: t.after, ...(t.location ? { location: t.location } : {}) }]
      : [];
  });
}

export function reviewConfigs(input: ReviewInput): Review {
  const { before, after } = input;
  const beforeNames = (before.compiled?.environments ?? []).map((e) => e.name);
  const afterNames = (after.compiled?.environments ?? []).map((e) => e.name);
  const inBefore = new Set(beforeNames);
  const inAfter = new Set(afterNames);
  const programs: ProgramCache = new Map();
  const [beforeSide, afterSide] = [sidesOf(before), sidesOf(after)];
  const tests = new Map<string, TestVerdict[]>();
  for (const t of input.tests ?? []) {
    const list = tests.get(t.environment);
    if (list) list.push(t);
    else tests.set(t.environment, [t]);
  }
  const environments: EnvironmentReview[] = [];
  for (const name of afterNames) {
    if (!inBefore.has(name)) {
      const key = compileDetails(after).environmentKeys.get(name);
      environments.push({ name, status: "added", changes: [], ...(key ? { location: toLocation(key) } : {}) });
      continue;
    }
    const changes = environmentChanges(beforeSide(name), afterSide(name), programs, tests.get(name));
    environments.push({ name, status: changes.length > 0 ? "changed" : "unchanged", changes });
  }
  for (const name of beforeNames) {
    if (inAfter.has(name)) continue;
    const key = compileDetails(before).environmentKeys.get(name);
    environments.push({ name, status: "removed", changes: [], ...(key ? { location: toLocation(key, "before") } : {}) });
  }
  return { base: input.base, environments, summary: summarize(environments.flatMap((e) => e.changes)) };
}

function summarize(changes: readonly Change[]): Record<ChangeClass, number> {
  const summary = Object.fromEntries(CLASSES.map((c) => [c, 0])) as Record<ChangeClass, number>;
  for (const c of changes) summary[c.class]++;
  return summary;
}

export const FAIL_ON = ["weakening", "review", "any", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** `--fail-on`: does this review fail the run? */
export function failsOn(review: Review, failOn: FailOn): boolean {
  const s = review.summary;
  switch (failOn) {
    case "weakening":
      return s.weakening > 0;
    case "review":
      return s.weakening + s.review > 0;
    case "any":
      return CLASSES.some((c) => s[c] > 0);
    case "never":
      return false;
  }
}

/**
 * One entry per case: security-review.md lists each case whose verdict changes, so a case with
 * several flipped steps is one entry, told by its worst step and located at it in the test file.
 */
export function caseVerdicts(changes: readonly SideVerdictChange[]): TestVerdict[] {
  return changes.flatMap(caseVerdict);
}

function caseVerdict(c: SideVerdictChange): TestVerdict[] {
  let worst: { before: Verdict; after: Verdict; location?: SourceLocation; cls: ChangeClass } | undefined;
  for (const s of c.steps) {
    if (!s.before || !s.after) continue;
    const cls = classifyVerdict(s.before, s.after);
    if (cls && (!worst || worse(worst.cls, cls) !== worst.cls))
      worst = { before: s.before, after: s.after, cls, ...(s.location ? { location: s.location } : {}) };
  }
  if (!worst) return [];
  const at = worst.location;
  return [
    {
      environment: c.environment,
      case: c.case,
      file: c.file,
      before: worst.before,
      after: worst.after,
      ...(at ? { location: { file: at.file, line: at.line, column: at.column } } : {}),
    },
  ];
}
