/** `--format junit`: one testsuite per test file, one testcase per case and environment, for CI reporters. */
import { describeDecider } from "./report-text.js";
import type { CaseResult, PolicyTestRun } from "./run-tests.js";

/** XML-escaped text; characters XML 1.0 cannot hold are written as `\uXXXX`. */
function xmlText(s: string): string {
  return s
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    )
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function failureText(r: CaseResult): string {
  const lines: string[] = [];
  for (const f of r.failures) {
    const step = r.steps[f.step];
    const at = r.stepLocations[f.step];
    lines.push(`${at ? `${at.file}:${at.line}:${at.column}: ` : ""}step ${f.step}: ${f.message}`);
    if (step && step.verdict !== null && step.verdict !== "undetermined")
      lines.push(`  decided by: ${describeDecider(step.decided_by, r.allowListed.has(f.step))}`);
    for (const reason of step?.reasons ?? []) lines.push(`  ${reason}`);
  }
  return lines.join("\n");
}

function testcase(r: CaseResult): string {
  const open = `    <testcase name="${xmlText(`${r.case} [${r.environment}]`)}" classname="${xmlText(r.file)}"`;
  if (r.status === "skipped") return `${open}>\n      <skipped message="${xmlText(r.skipped ?? "")}"/>\n    </testcase>`;
  if (r.status === "passed") return `${open}/>`;
  const first = r.failures[0];
  const message = first ? `step ${first.step}: ${first.message}` : r.status;
  return `${open}>\n      <failure message="${xmlText(message)}" type="${r.status}">${xmlText(failureText(r))}</failure>\n    </testcase>`;
}

function counts(results: readonly CaseResult[]): string {
  const failures = results.filter((r) => r.status === "failed" || r.status === "undetermined").length;
  const skipped = results.filter((r) => r.status === "skipped").length;
  return `tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
}

const ROOT = '<testsuites name="sequrity-config test" ';

/** Whether `text` is a report this format wrote: the XML declaration, then our root element. */
export function isJunitReport(text: string): boolean {
  return text.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n${ROOT}`);
}

export function reportJunit(run: PolicyTestRun): string {
  const files = [...new Set(run.results.map((r) => r.file))];
  const suites = files.map((file) => {
    const results = run.results.filter((r) => r.file === file);
    return [`  <testsuite name="${xmlText(file)}" ${counts(results)}>`, ...results.map(testcase), "  </testsuite>"].join("\n");
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `${ROOT}${counts(run.results)}>`, ...suites, "</testsuites>", ""].join("\n");
}
