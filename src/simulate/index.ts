/**
 * The simulation stage, after check: what an environment's compiled policy does with a sequence of
 * tool calls (policy-semantics.md), and the policy-test runner on top of it (policy-tests.md).
 */
import { DiagnosticError } from "../diagnostics/index.js";
import type { PolicyCodeSource } from "../compile.js";
import { fromPlain } from "../load/from-plain.js";
import type { LMap } from "../load/lnode.js";
import { Source, wholeFile } from "../load/source.js";
import type { MetaInput, Step } from "../schema/test-file.js";
import type { CompiledEnvironment } from "../serialize/compiled.js";
import { prepareEnvironment } from "./environment.js";
import { runCase, type Failure, type StepReport } from "./simulate.js";
import { validateTestFile } from "./test-file.js";

export { runPolicyTests, type PolicyTestOptions, type PolicyTestRun, type PolicyTestSummary, type CaseResult } from "./run-tests.js";
export { reportJson } from "./report-json.js";
export { reportText } from "./report-text.js";
export { reportJunit } from "./report-junit.js";
export { compareVerdicts } from "./compare.js";
export type { StepReport, Failure, DecidedByReport, PrintedMeta, Verdict } from "./simulate.js";

export interface SimulateOptions {
  /** The session's metadata when the steps start (default: producers {}, consumers universal, tags {}). */
  session?: MetaInput;
  /** The environment's policy code as checked, with its positions (`policySource(result, env)`), for `decided_by` locations. */
  source?: PolicyCodeSource;
}

export interface Simulation {
  environment: string;
  /** Why the environment is not simulated (single-LLM): then there are no steps. */
  skipped?: string;
  /** Every expectation held. */
  passed: boolean;
  steps: StepReport[];
  failures: Failure[];
  /** Settings and constructs not simulated. */
  notes: string[];
}

/**
 * Runs `steps` (the `steps` of a test case, as plain data) against a compiled environment. Steps
 * are checked as a test file's would be; a mistake throws a `DiagnosticError`.
 */
export function simulate(environment: CompiledEnvironment, steps: readonly Step[], options: SimulateOptions = {}): Simulation {
  const source = new Source("<steps>", "", false);
  const asFile = fromPlain(
    { version: 1, cases: [{ name: "steps", steps, ...(options.session ? { session: options.session } : {}) }] },
    wholeFile(source),
    "",
  ) as LMap;
  const checked = validateTestFile(asFile, []);
  if (!checked.data) {
    throw new DiagnosticError(checked.diagnostics.map((d) => ({ ...d, message: d.message.replace(/^cases\[0\]\./, "").replace(/ in cases\[0\]\./, " in ") })));
  }
  const env = prepareEnvironment(environment, options.source ? { source: options.source } : {});
  if (env.skipped) return { environment: env.name, skipped: env.skipped, passed: true, steps: [], failures: [], notes: env.notes };
  const notes = new Set<string>();
  const c = checked.data.cases[0];
  const outcome = runCase(env, c?.steps ?? [], c?.session, notes);
  return { environment: env.name, passed: outcome.failures.length === 0, steps: outcome.steps, failures: outcome.failures, notes: [...env.notes, ...notes] };
}
