/**
 * Test verdicts where decisions are made: for `diff A B` and `promote FROM TO`, the cases whose
 * step verdicts differ between two environments (or between TO now and TO sending FROM's X-Policy).
 */
import { compileDetails, type CompileResult } from "../compile.js";
import { escapeControls } from "../diagnostics/escape.js";
import type { Diagnostic, SourceLocation } from "../diagnostics/index.js";
import type { PreparedEnvironment } from "./environment.js";
import { environmentsOf, loadConfigTests, prepareAll, prepareOne } from "./run-tests.js";
import { runCase, type Verdict } from "./simulate.js";
import type { LoadedTestFile } from "./test-file.js";

export interface VerdictChange {
  file: string;
  case: string;
  /** Each step whose verdict differs, with where the test file writes it. */
  steps: { index: number; what: string; before: Verdict | null; after: Verdict | null; location?: SourceLocation }[];
}

/** Cases (of `files`, those `include` keeps) whose verdicts differ between `a` and `b`; none when either is not simulated. */
export function compareVerdicts(
  files: readonly LoadedTestFile[],
  a: PreparedEnvironment,
  b: PreparedEnvironment,
  include: (file: LoadedTestFile, index: number) => boolean = () => true,
): VerdictChange[] {
  if (a.skipped || b.skipped) return [];
  const changes: VerdictChange[] = [];
  for (const file of files) {
    file.data.cases.forEach((c, i) => {
      if (!include(file, i)) return;
      const before = runCase(a, c.steps, c.session, new Set()).steps;
      const after = runCase(b, c.steps, c.session, new Set()).steps;
      const steps = before.flatMap((s, j) => {
        const t = after[j];
        if (!t || s.verdict === t.verdict) return [];
        const location = file.stepLocations[i]?.[j];
        return [{ index: j, what: s.kind === "call" ? `call ${s.tool}` : s.kind, before: s.verdict, after: t.verdict, ...(location ? { location } : {}) }];
      });
      if (steps.length > 0) changes.push({ file: file.file, case: c.name, steps });
    });
  }
  return changes;
}

export interface VerdictComparison {
  /** Environment `a` as compiled. */
  a: string;
  /** Environment `b` as compiled, or `a` sending `policyOf`'s X-Policy. */
  b: string;
  policyOf?: string;
  /** Only the cases that run in `a` (default: every case). */
  onlyCasesOfA?: boolean;
}

/** Loads the config's tests and compares; no tests, no changes. */
export async function configVerdictChanges(
  result: CompileResult,
  cwd: string,
  cmp: VerdictComparison,
): Promise<{ changes: VerdictChange[]; diagnostics: Diagnostic[]; sources: Map<string, string> }> {
  const empty = { changes: [], diagnostics: [], sources: new Map<string, string>() };
  const envs = result.compiled?.environments ?? [];
  const find = (name: string) => envs.find((e) => e.name === name);
  const envA = find(cmp.a);
  const envB = find(cmp.b);
  const policyFrom = cmp.policyOf !== undefined ? find(cmp.policyOf) : undefined;
  if (!envA || !envB || (compileDetails(result).tests?.patterns.length ?? 0) === 0) return empty;
  const tests = await loadConfigTests(result, cwd);
  if (tests.diagnostics.length > 0) return { ...empty, diagnostics: tests.diagnostics, sources: tests.sources };
  const a = prepareOne(result, envA);
  const b = policyFrom
    ? prepareOne(result, { ...envB, sections: { ...envB.sections, policy: policyFrom.sections.policy } }, policyFrom.name)
    : prepareOne(result, envB);
  const include = (file: LoadedTestFile, i: number) =>
    !cmp.onlyCasesOfA || environmentsOf(file, file.data.cases[i] as LoadedTestFile["data"]["cases"][number], [a]).length > 0;
  return { changes: compareVerdicts(tests.files, a, b, include), diagnostics: [], sources: tests.sources };
}

/** The report lines: a heading, then per case its steps whose verdicts differ. */
export function formatVerdictChanges(changes: readonly VerdictChange[], heading: string, before: string, after: string): string[] {
  if (changes.length === 0) return [];
  const lines = [heading];
  for (const c of changes) {
    lines.push(`  ${c.file}: ${c.case}`);
    for (const s of c.steps) lines.push(`    step ${s.index} (${s.what}): ${before} ${s.before}, ${after} ${s.after}`);
  }
  // Case names come from the user's test files: none may drive the terminal (escape.ts).
  return lines.map(escapeControls);
}

/** A case whose verdicts a change flips in one environment, for `review` (which classifies the steps). */
export interface SideVerdictChange extends VerdictChange {
  environment: string;
}

/**
 * For `review`: the after side's test cases run against both sides' compiled environments (the
 * cases say what the policy must do; what changed is the policy). Environments on one side only
 * are not compared. No tests, no changes.
 */
export async function sideVerdictChanges(
  before: CompileResult,
  after: CompileResult,
  cwd: string,
): Promise<{ changes: SideVerdictChange[]; diagnostics: Diagnostic[] }> {
  if ((compileDetails(after).tests?.patterns.length ?? 0) === 0) return { changes: [], diagnostics: [] };
  const tests = await loadConfigTests(after, cwd);
  if (tests.diagnostics.length > 0) return { changes: [], diagnostics: tests.diagnostics };
  const old = new Map(prepareAll(before).map((e) => [e.name, e]));
  const changes: SideVerdictChange[] = [];
  for (const env of prepareAll(after)) {
    const was = old.get(env.name);
    if (!was) continue;
    const include = (file: LoadedTestFile, i: number) => environmentsOf(file, file.data.cases[i] as LoadedTestFile["data"]["cases"][number], [env]).length > 0;
    for (const c of compareVerdicts(tests.files, was, env, include)) changes.push({ ...c, environment: env.name });
  }
  return { changes, diagnostics: [] };
}
