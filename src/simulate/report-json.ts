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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Whether `text` is a report this format wrote: an object of exactly `results` (a list) and `summary`. */
export function isJsonReport(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isObject(value) || Object.keys(value).join() !== "results,summary" || !Array.isArray(value.results) || !isObject(value.summary)) return false;
  const summary = value.summary;
  return ["cases", "passed", "failed", "undetermined"].every((k) => typeof summary[k] === "number");
}
