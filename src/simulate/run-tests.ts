/**
 * `runPolicyTests`: compile the config, read the test files (named, or the config's `tests:`),
 * and run every case in every environment its file and itself select, in file, case and
 * environment order.
 */
import path from "node:path";
import { compile, compileDetails, type CompileResult } from "../compile.js";
import { policySource } from "../inspect.js";
import { error, hasErrors, type Diagnostic, type SourceLocation } from "../diagnostics/index.js";
import { workingTree } from "../load/file-source.js";
import { shownPath } from "../load/load-config.js";
import { refusalDiagnostic, writtenPath, writtenTarget } from "../load/project-files.js";
import type { TestCase } from "../schema/test-file.js";
import type { CompiledEnvironment } from "../serialize/compiled.js";
import { prepareEnvironment, type PreparedEnvironment } from "./environment.js";
import { expandGlob } from "./glob.js";
import { runCase, type Failure, type StepReport } from "./simulate.js";
import { loadTestFile, type LoadedTestFile } from "./test-file.js";

export interface PolicyTestOptions {
  /** `-c FILE`; discovered from `cwd` when absent. */
  configPath?: string;
  cwd?: string;
  /** Test files, relative to `cwd`; default: the config's `tests:`. */
  files?: string[];
  /** Only these environments (`-e`). */
  environments?: string[];
}

export type CaseStatus = "passed" | "failed" | "undetermined" | "skipped";

export interface CaseResult {
  file: string;
  case: string;
  environment: string;
  status: CaseStatus;
  /** Why the environment was not simulated. */
  skipped?: string;
  steps: StepReport[];
  failures: Failure[];
  /** Steps denied by the allow-list rule (3.4), whose `decided_by` is the allow rule that did not apply. */
  allowListed: ReadonlySet<number>;
  /** Where each step was written in the test file. */
  stepLocations: readonly SourceLocation[];
}

export interface PolicyTestSummary {
  /** Case × environment runs (skipped ones are not counted). */
  cases: number;
  passed: number;
  failed: number;
  undetermined: number;
}

export interface PolicyTestRun {
  results: CaseResult[];
  summary: PolicyTestSummary;
  /** Errors in the config or the test files (nothing ran then). */
  diagnostics: Diagnostic[];
  /** File texts, for code frames. */
  sources: Map<string, string>;
  /** Settings and constructs not simulated, once per run. */
  notes: string[];
  /** Absolute paths of every file the run read (config, policy files, test files): a report never replaces one. */
  inputFiles: string[];
}

/** The test files of a compiled config, loaded and checked. */
export async function loadConfigTests(
  result: CompileResult,
  cwd: string,
  files?: readonly string[],
): Promise<{ files: LoadedTestFile[]; diagnostics: Diagnostic[]; sources: Map<string, string>; read: string[] }> {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const tests = compileDetails(result).tests;
  if (!tests) return { files: [], diagnostics, sources, read: [] };
  // A file named in `tests:` that cannot be read is reported at that entry; a pattern refused or
  // matching nothing, in its place among the files, so that every problem is in the order written.
  type Target = { absolute: string; shown: string; entry?: { pattern: string; location: SourceLocation } } | { problem: Diagnostic };
  const targets: Target[] = [];
  const listed = new Set<string>();
  const request = { kind: "test", root: tests.projectRoot } as const;
  if (files && files.length > 0) {
    for (const f of files) {
      const target = await writtenTarget(workingTree, f, { dir: cwd, named: "the working directory" }, request);
      targets.push(target.ok ? { absolute: target.absolute, shown: f } : { problem: refusalDiagnostic(target.refusal, writtenPath(f)) });
    }
  } else {
    const base = { dir: path.dirname(tests.configFile), named: "the config file" };
    for (const p of tests.patterns) {
      // Judged as written first: a pattern leading out of the project lists nothing there.
      const target = await writtenTarget(workingTree, p.pattern, base, request);
      if (!target.ok) {
        targets.push({ problem: refusalDiagnostic(target.refusal, writtenPath(p.pattern), p.location) });
        continue;
      }
      const found = await expandGlob(target.absolute, base.dir, tests.projectRoot);
      if (found.length === 0) targets.push({ problem: error("no-test-files", `tests: ${JSON.stringify(p.pattern)} matches no file`, p.location) });
      for (const absolute of found) {
        if (listed.has(absolute)) continue;
        listed.add(absolute);
        targets.push({ absolute, shown: shownPath(absolute, cwd), entry: p });
      }
    }
  }
  const loaded: LoadedTestFile[] = [];
  const defined = [...compileDetails(result).environmentKeys.keys()];
  for (const t of targets) {
    if ("problem" in t) {
      diagnostics.push(t.problem);
      continue;
    }
    const r = await loadTestFile(t.absolute, t.shown, defined, tests.projectRoot);
    if (r.text !== undefined) sources.set(t.shown, r.text);
    if (r.ok) loaded.push(r.loaded);
    else if (t.entry && r.text === undefined) {
      const entry = t.entry;
      diagnostics.push(...r.diagnostics.map((d) => ({ ...d, message: d.message.replace(t.shown, entry.pattern), location: entry.location })));
    } else diagnostics.push(...r.diagnostics);
  }
  return { files: loaded, diagnostics, sources, read: targets.flatMap((t) => ("absolute" in t ? [t.absolute] : [])) };
}

/** The environments, of those compiled, that a case runs in. */
export function environmentsOf(file: LoadedTestFile, c: TestCase, compiled: readonly PreparedEnvironment[]): PreparedEnvironment[] {
  return compiled.filter((e) => (!file.data.environments || file.data.environments.includes(e.name)) && (!c.environments || c.environments.includes(e.name)));
}

/** One environment of `result`, ready to simulate, with positions into the policy code of `codeOf` (default: itself). */
export function prepareOne(result: CompileResult, env: CompiledEnvironment, codeOf = env.name): PreparedEnvironment {
  const source = policySource(result, codeOf);
  return prepareEnvironment(env, source ? { source } : {});
}

/** Every compiled environment, ready to simulate. */
export function prepareAll(result: CompileResult): PreparedEnvironment[] {
  return (result.compiled?.environments ?? []).map((env) => prepareOne(result, env));
}

/** Runs case number `index` of a file in one environment; `notes` collects the run's remarks. */
function runOne(file: LoadedTestFile, index: number, env: PreparedEnvironment, notes: Set<string>): CaseResult {
  const c = file.data.cases[index] as TestCase;
  const base = { file: file.file, case: c.name, environment: env.name, stepLocations: file.stepLocations[index] ?? [] };
  if (env.skipped) return { ...base, status: "skipped", skipped: env.skipped, steps: [], failures: [], allowListed: new Set() };
  const envNotes = new Set<string>();
  const outcome = runCase(env, c.steps, c.session, envNotes);
  for (const n of [...env.notes, ...envNotes]) notes.add(`${env.name}: ${n}`);
  const status: CaseStatus = outcome.failures.length === 0 ? "passed" : outcome.failures.some((f) => !f.undetermined) ? "failed" : "undetermined";
  return { ...base, status, steps: outcome.steps, failures: outcome.failures, allowListed: outcome.allowListed };
}

function summarize(results: readonly CaseResult[]): PolicyTestSummary {
  const ran = results.filter((r) => r.status !== "skipped");
  const count = (s: CaseStatus) => ran.filter((r) => r.status === s).length;
  return { cases: ran.length, passed: count("passed"), failed: count("failed"), undetermined: count("undetermined") };
}

export async function runPolicyTests(options: PolicyTestOptions = {}): Promise<PolicyTestRun> {
  const cwd = options.cwd ?? process.cwd();
  const result = await compile({
    cwd,
    ...(options.configPath !== undefined ? { configPath: options.configPath } : {}),
    environments: options.environments ?? [],
    lint: false,
  });
  const run: PolicyTestRun = {
    results: [],
    summary: summarize([]),
    diagnostics: [],
    sources: new Map(result.sources),
    notes: [],
    inputFiles: [...result.inputFiles],
  };
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (hasErrors(errors) || !result.compiled) return { ...run, diagnostics: errors };
  const tests = await loadConfigTests(result, cwd, options.files);
  for (const [k, v] of tests.sources) run.sources.set(k, v);
  run.inputFiles.push(...tests.read);
  if (!options.files?.length && (compileDetails(result).tests?.patterns.length ?? 0) === 0) {
    tests.diagnostics.push(error("no-tests", `${result.compiled.configPath} names no test files: list them under \`tests:\` or name them on the command line`));
  }
  if (tests.diagnostics.length > 0) return { ...run, diagnostics: tests.diagnostics };
  const envs = prepareAll(result);
  const notes = new Set<string>();
  for (const file of tests.files) {
    file.data.cases.forEach((c, i) => {
      for (const env of environmentsOf(file, c, envs)) run.results.push(runOne(file, i, env, notes));
    });
  }
  return { ...run, summary: summarize(run.results), notes: [...notes] };
}
