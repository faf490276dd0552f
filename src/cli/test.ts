/** `test [FILE...]`: run the policy tests; exit 0 when every expectation holds, 1 when one fails (undetermined included). */
import { DiagnosticError, type Diagnostic } from "../diagnostics/index.js";
import { reportJson } from "../simulate/report-json.js";
import { reportJunit } from "../simulate/report-junit.js";
import { reportText } from "../simulate/report-text.js";
import { runPolicyTests } from "../simulate/run-tests.js";
import { EXIT, type Io } from "./io.js";
import { failureStatus, report } from "./report.js";

export interface TestCliOptions {
  config?: string;
  env?: string[];
  format: "text" | "json" | "junit";
  out?: string;
}

const RENDER = { text: reportText, json: reportJson, junit: reportJunit } as const;

export async function runTest(io: Io, files: string[], o: TestCliOptions): Promise<number> {
  const run = await runPolicyTests({
    cwd: io.cwd,
    ...(o.config !== undefined ? { configPath: o.config } : {}),
    files,
    environments: o.env ?? [],
  });
  if (run.diagnostics.length > 0) {
    report(io, run.diagnostics, { sources: run.sources, writes: false });
    return failureStatus(run.diagnostics);
  }
  for (const note of run.notes) io.stderr(`note: ${note}\n`);
  const text = RENDER[o.format](run);
  if (o.out === undefined) io.stdout(text);
  else {
    const { writeOutputs } = await import("../emit/index.js");
    try {
      await writeOutputs([{ path: o.out, content: text }], { cwd: io.cwd });
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      report(io, e.diagnostics as Diagnostic[], {});
      return EXIT.invalid;
    }
    const s = run.summary;
    io.stderr(`wrote ${o.out}: ${s.cases} case runs, ${s.passed} passed, ${s.failed} failed, ${s.undetermined} undetermined\n`);
  }
  return run.summary.failed + run.summary.undetermined > 0 ? EXIT.invalid : EXIT.ok;
}
