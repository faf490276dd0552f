/** `test [FILE...]`: run the policy tests; exit 0 when every expectation holds, 1 when one fails (undetermined included). */
import { DiagnosticError, type Diagnostic } from "../diagnostics/index.js";
import { isJsonReport, reportJson } from "../simulate/report-json.js";
import { isJunitReport, reportJunit } from "../simulate/report-junit.js";
import { isTextReport, reportText } from "../simulate/report-text.js";
import { runPolicyTests, type PolicyTestRun } from "../simulate/run-tests.js";
import { chosenConfigs, combinedStatus } from "./configs.js";
import { EXIT, type Io } from "./io.js";
import type { TestCliOptions } from "./options.js";
import { failureStatus, report } from "./report.js";

const RENDER = { text: reportText, json: reportJson, junit: reportJunit } as const;

/**
 * `-o FILE` replaces an existing file only when it is a report of ours, in any format (a run may
 * switch formats), unless `--force`; never an input of the run (writeOutputs' guard).
 */
const REPORT = {
  test: (_head: string, whole: string | undefined) => whole !== undefined && (isTextReport(whole) || isJsonReport(whole) || isJunitReport(whole)),
  words: "not a report of sequrity-config test",
};

/**
 * With several configs (`-c` repeated, `--all`) each runs its own `tests:`, and their cases make one
 * report (test files are named from the current folder, so they stay apart). A config with errors
 * is reported and fails the run; the others still run.
 */
export async function runTest(io: Io, files: string[], o: TestCliOptions): Promise<number> {
  const chosen = await chosenConfigs(io, o);
  if (!chosen.ok) return chosen.status;
  if (chosen.configs.length > 1 && files.length > 0) {
    io.stderr("error: test FILE... runs against one config; with several configs, each runs the files its tests: names\n");
    return EXIT.usage;
  }
  const statuses: number[] = [];
  const runs: PolicyTestRun[] = [];
  const failed: PolicyTestRun[] = [];
  const several = chosen.configs.length > 1;
  for (const config of chosen.configs) {
    const run = await runPolicyTests({ cwd: io.cwd, ...(config !== undefined ? { configPath: config } : {}), files, environments: o.env ?? [] });
    // In a monorepo most configs may have no policy tests: among several, that is a note, not a usage error.
    if (several && run.diagnostics.length > 0 && run.diagnostics.every((d) => d.code === "no-tests")) {
      io.stderr(`note: ${config ?? "the config"} has no tests: (skipped)\n`);
      continue;
    }
    if (run.diagnostics.length > 0) {
      failed.push(run);
      statuses.push(failureStatus(run.diagnostics));
    } else runs.push(run);
  }
  // With --format json and no report to print, stdout holds the diagnostics document (product.md);
  // otherwise they are text on stderr, and stdout stays the report.
  const machine = o.format === "json" && runs.length === 0 && o.out === undefined;
  if (machine && failed.length > 0)
    report(
      io,
      failed.flatMap((r) => r.diagnostics),
      { format: "json", writes: false },
    );
  else for (const f of failed) report(io, f.diagnostics, { sources: f.sources, writes: false });
  if (runs.length === 0) {
    if (statuses.length === 0) io.stderr("error: none of the configs has tests: to run\n");
    return statuses.length === 0 ? EXIT.usage : combinedStatus(statuses);
  }
  const run = joined(runs);
  for (const note of run.notes) io.stderr(`note: ${note}\n`);
  const text = RENDER[o.format](run);
  if (o.out === undefined) io.stdout(text);
  else {
    const { writeOutputs } = await import("../emit/index.js");
    try {
      await writeOutputs([{ path: o.out, content: text }], { cwd: io.cwd, guard: { inputs: run.inputFiles, force: Boolean(o.force), generated: REPORT } });
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      report(io, e.diagnostics as Diagnostic[], {});
      return EXIT.invalid;
    }
    const s = run.summary;
    io.stderr(`wrote ${o.out}: ${s.cases} case runs, ${s.passed} passed, ${s.failed} failed, ${s.undetermined} undetermined\n`);
  }
  statuses.push(run.summary.failed + run.summary.undetermined > 0 ? EXIT.invalid : EXIT.ok);
  return combinedStatus(statuses);
}

/** Several configs' runs as one: cases in config order, counts added, each note once. */
function joined(runs: readonly PolicyTestRun[]): PolicyTestRun {
  if (runs.length === 1) return runs[0] as PolicyTestRun;
  const sum = (key: keyof PolicyTestRun["summary"]) => runs.reduce((n, r) => n + r.summary[key], 0);
  return {
    results: runs.flatMap((r) => r.results),
    summary: { cases: sum("cases"), passed: sum("passed"), failed: sum("failed"), undetermined: sum("undetermined") },
    diagnostics: [],
    sources: new Map(runs.flatMap((r) => [...r.sources])),
    notes: [...new Set(runs.flatMap((r) => r.notes))],
    inputFiles: [...new Set(runs.flatMap((r) => r.inputFiles))],
  };
}
