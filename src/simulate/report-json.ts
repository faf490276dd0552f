/** `--format json`: the shape policy-tests.md shows, byte-stable. */
import type { CaseResult, PolicyTestRun } from "./run-tests.js";

function resultJson(r: CaseResult): Record<string, unknown> {
  const base = { file: r.file, case: r.case, environment: r.environment };
  if (r.status === "skipped") return { ...base, passed: true, skipped: r.skipped };
  return { ...base, passed: r.status === "passed", steps: r.steps };
}

export function reportJson(run: PolicyTestRun): string {
  return JSON.stringify({ results: run.results.map(resultJson), summary: run.summary }, null, 2) + "\n";
}
