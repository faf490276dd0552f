/**
 * The text report: one line per case and environment, then each failure with the step (located in
 * the test file), expected and actual, what decided (the rule quoted, with its place in the
 * policy code), and for an unknown outcome the reasons.
 */
import { escapeControls } from "../diagnostics/escape.js";
import type { CaseResult, PolicyTestRun } from "./run-tests.js";
import type { DecidedByReport } from "./simulate.js";

const LABELS = { passed: "PASS", failed: "FAIL", undetermined: "UNDETERMINED", skipped: "SKIP" } as const;

/** Why a step's verdict is what it is, in words. */
export function describeDecider(d: DecidedByReport | null, allowListed: boolean): string {
  if (!d) return "undetermined";
  if (d.kind === "default") return d.text === "default_allow" ? "the default (default_allow)" : d.text;
  if (d.kind === "internal") {
    return d.text === "enable_llm_blocked_tag"
      ? "the internal policy enable_llm_blocked_tag (parse_with_ai with an argument tagged __llm_blocked)"
      : `the internal policy ${d.text}`;
  }
  const at = d.file ? ` at ${d.file}:${d.line}:${d.column}` : "";
  const rule = `the rule \`${d.text.replace(/\s+/g, " ")}\`${at}`;
  return allowListed ? `${rule}, which did not apply: a tool with allow rules denies every call none of them allows` : rule;
}

function header(r: CaseResult): string {
  return `${r.file}: ${r.case} [${r.environment}]`;
}

function details(r: CaseResult): string[] {
  const lines = [`${LABELS[r.status]} ${header(r)}`];
  const steps = [...new Set(r.failures.map((f) => f.step))];
  for (const index of steps) {
    const step = r.steps[index];
    if (!step) continue;
    const at = r.stepLocations[index];
    const where = at ? `${at.file}:${at.line}:${at.column}: ` : "";
    const what = step.kind === "call" ? `call ${step.tool}` : step.kind;
    for (const f of r.failures.filter((x) => x.step === index)) lines.push(`  ${where}step ${index}, ${what}: ${f.message}`);
    if (step.verdict !== null && step.verdict !== "undetermined") lines.push(`    decided by: ${describeDecider(step.decided_by, r.allowListed.has(index))}`);
    for (const reason of step.reasons) lines.push(`    ${reason}`);
  }
  return lines;
}

const SUMMARY = /^\d+ case runs?: \d+ passed, \d+ failed, \d+ undetermined(?:, \d+ skipped)?$/;

/** Whether `text` is a report this format wrote: it ends with the summary line. */
export function isTextReport(text: string): boolean {
  return text.endsWith("\n") && SUMMARY.test(text.slice(text.lastIndexOf("\n", text.length - 2) + 1, -1));
}

export function reportText(run: PolicyTestRun): string {
  const lines = run.results.map((r) => `${LABELS[r.status].padEnd(12)} ${header(r)}${r.skipped ? `: ${r.skipped}` : ""}`);
  const failing = run.results.filter((r) => r.status === "failed" || r.status === "undetermined");
  for (const r of failing) lines.push("", ...details(r));
  const s = run.summary;
  const skipped = run.results.length - s.cases;
  lines.push(
    "",
    `${s.cases} case run${s.cases === 1 ? "" : "s"}: ${s.passed} passed, ${s.failed} failed, ${s.undetermined} undetermined${skipped > 0 ? `, ${skipped} skipped` : ""}`,
  );
  // Names, rules and reasons come from the user's files: none may drive the terminal (escape.ts).
  return lines.map(escapeControls).join("\n") + "\n";
}
