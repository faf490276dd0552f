import { escapeControls } from "../diagnostics/escape.js";
import { compileAndReport } from "./compile-and-report.js";
import type { DiffCliOptions } from "./options.js";
import { sentence, showValue } from "../review/describe.js";
import { CODE_PATH } from "../review/fields.js";
import { unifiedDiff } from "../review/line-diff.js";
import { sidesOf, wireValue } from "../review/provenance.js";
import { environmentChanges } from "../review/review.js";
import { EXIT, type Io } from "./io.js";
import { report } from "./report.js";

/**
 * `diff A B`: every change from A to B, classified as `review` classifies it (A is the before
 * side), values `-` for A and `+` for B; policy code as its rule changes and a line diff. Exit 1
 * when they differ.
 */
export async function runDiff(io: Io, a: string, b: string, o: DiffCliOptions): Promise<number> {
  const run = await compileAndReport(io, { config: o.config, environments: [a, b] });
  if (!run.ok) return run.status;
  const { result } = run;
  const side = sidesOf(result);
  const [left, right] = [side(a), side(b)];
  const lines: string[] = [];
  for (const c of environmentChanges(left, right)) {
    if (c.kind === "rule") {
      lines.push(`${c.path}: ${c.class}`, `  ${sentence(c)}`);
      continue;
    }
    if (c.kind !== "field") continue;
    lines.push(`${c.path}: ${c.class}`);
    // Code compared as a whole (Cedar) is shown by the line diff below.
    if (c.path === CODE_PATH) continue;
    if (c.before !== undefined) lines.push(`  - ${a}: ${showValue(c.before)}`);
    if (c.after !== undefined) lines.push(`  + ${b}: ${showValue(c.after)}`);
  }
  const code = (side: typeof left) => wireValue(side.sections, CODE_PATH.split("."));
  const [x, y] = [code(left), code(right)];
  if (x !== y && (typeof x === "string" || typeof y === "string")) {
    lines.push(
      `${CODE_PATH} (line diff):`,
      // Policy code from the files: its control characters are shown escaped, as in code frames.
      ...unifiedDiff(typeof x === "string" ? x : "", typeof y === "string" ? y : "", { before: a, after: b }).map((l) => `  ${escapeControls(l)}`),
    );
  }
  if (lines.length === 0) {
    io.stdout(`${a} and ${b} send identical headers\n`);
    return EXIT.ok;
  }
  const { configVerdictChanges, formatVerdictChanges } = await import("../simulate/compare.js");
  const tests = await configVerdictChanges(result, io.cwd, { a, b });
  report(io, tests.diagnostics, { sources: tests.sources, writes: false });
  lines.push(...formatVerdictChanges(tests.changes, "test verdicts that differ:", a, b));
  io.stdout(lines.join("\n") + "\n");
  return EXIT.invalid;
}
