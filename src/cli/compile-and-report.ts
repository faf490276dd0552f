/** The step every command that compiles one config starts with: compile, print what was found, stop on errors. */
import { compile, type CompileOptions, type CompileResult } from "../compile.js";
import type { CompiledConfig } from "../serialize/compiled.js";
import { hasErrors } from "../diagnostics/index.js";
import { EXIT, type Io } from "./io.js";
import { failureStatus, promoteWarnings, report, type ReportOptions } from "./report.js";

export interface CompileRequest extends Omit<CompileOptions, "cwd" | "configPath"> {
  /** `-c`: the config file, relative to the Io's folder; discovered from there when absent. */
  config?: string | undefined;
}

export type CompileRun = { ok: true; result: CompileResult; compiled: CompiledConfig } | { ok: false; status: number; result: CompileResult };

/**
 * Compiles in the Io's folder and reports the diagnostics (text on stderr unless the report
 * options say otherwise; they may depend on the result, for the fields of a JSON document). A run with an error, or a warning under `strict`, is not ok, with its exit status.
 */
export async function compileAndReport(
  io: Io,
  request: CompileRequest,
  reportOptions: ReportOptions | ((result: CompileResult) => ReportOptions) = { writes: false },
): Promise<CompileRun> {
  const { config, ...rest } = request;
  const result = await compile({ ...rest, cwd: io.cwd, ...(config !== undefined ? { configPath: config } : {}) });
  const options = typeof reportOptions === "function" ? reportOptions(result) : reportOptions;
  report(io, result.diagnostics, { sources: result.sources, ...options });
  const status = runStatus(result, options.strict);
  return status === EXIT.ok && result.compiled ? { ok: true, result, compiled: result.compiled } : { ok: false, status, result };
}

/** A compile run's exit status: failed with an error, or a warning under `strict`, or when nothing compiled. */
export function runStatus(result: CompileResult, strict: boolean | undefined): number {
  const diagnostics = promoteWarnings(result.diagnostics, strict);
  return hasErrors(diagnostics) || !result.compiled ? failureStatus(diagnostics) : EXIT.ok;
}
