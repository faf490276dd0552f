/**
 * `policy check` and `policy fmt`: plain functions, wired into commander by main.ts.
 * Files ending in `.cedar` are Cedar; everything else is SQRT.
 * Diagnostics go to stderr (as the other commands do); `--format json` and
 * formatted code go to stdout.
 */
import { readFile } from "node:fs/promises";
import { checkPolicyCode, formatSqrt, type PolicyIssue } from "../check/index.js";
import { formatDiagnostic, formatDiagnostics, locatedNote, sourceLineIndex, type Diagnostic, type LineIndex } from "../diagnostics/index.js";

export interface PolicyIo {
  stdout(s: string): void;
  stderr(s: string): void;
}

export interface PolicyCheckOptions {
  format: "text" | "json";
  /** Warnings fail the run too. */
  strict: boolean;
}

export interface PolicyFmtOptions {
  write: boolean;
  check: boolean;
}

interface JsonProblem {
  line: number;
  column: number;
  message: string;
  code: string;
  /** The other places the message refers to (the rule that shadows this one...). */
  related?: { line: number; column: number; message: string }[];
}

interface JsonFileReport {
  file: string;
  valid: boolean;
  errors: JsonProblem[];
  warnings: JsonProblem[];
}

function languageOf(file: string): "sqrt" | "cedar" {
  return file.toLowerCase().endsWith(".cedar") ? "cedar" : "sqrt";
}

/** The code is the whole file here, so offsets in the code are offsets in the file. */
function toDiagnostic(file: string, lines: LineIndex, i: PolicyIssue): Diagnostic {
  const d: Diagnostic = { severity: i.severity, code: i.code, message: i.message, location: { file, line: i.line, column: i.column, length: Math.max(1, i.length) } };
  if (i.related) d.notes = i.related.map((r) => locatedNote({ file, ...lines.position(r.offset) }, r.message));
  return d;
}

function toJson(lines: LineIndex, i: PolicyIssue): JsonProblem {
  const problem: JsonProblem = { line: i.line, column: i.column, message: i.message, code: i.code };
  if (i.related) problem.related = i.related.map((r) => ({ ...lines.position(r.offset), message: r.message }));
  return problem;
}

async function readSource(file: string): Promise<{ code: string } | { error: string }> {
  try {
    return { code: await readFile(file, "utf8") };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "is a directory" : (err.code ?? err.message);
    return { error: `cannot read file (${why})` };
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export async function policyCheck(files: string[], opts: PolicyCheckOptions, io: PolicyIo): Promise<number> {
  const reports: JsonFileReport[] = [];
  let failed = false;
  let errorCount = 0;
  let warningCount = 0;
  for (const file of files) {
    const source = await readSource(file);
    if ("error" in source) {
      failed = true;
      errorCount++;
      reports.push({ file, valid: false, errors: [{ line: 0, column: 0, message: source.error, code: "read-failed" }], warnings: [] });
      if (opts.format === "text") io.stderr(formatDiagnostic({ severity: "error", code: "read-failed", message: source.error, location: { file, line: 0, column: 0 } }) + "\n");
      continue;
    }
    const issues = await checkPolicyCode(source.code, languageOf(file), { lint: true });
    const errors = issues.filter((i) => i.severity === "error");
    const warnings = issues.filter((i) => i.severity === "warning");
    errorCount += errors.length;
    warningCount += warnings.length;
    if (errors.length > 0 || (opts.strict && warnings.length > 0)) failed = true;
    const sources = new Map([[file, source.code]]);
    const lines = sourceLineIndex(sources, file);
    if (opts.format === "json") reports.push({ file, valid: errors.length === 0, errors: errors.map((i) => toJson(lines, i)), warnings: warnings.map((i) => toJson(lines, i)) });
    else if (issues.length > 0) io.stderr(formatDiagnostics(issues.map((i) => toDiagnostic(file, lines, i)), { sources }) + "\n");
  }
  if (opts.format === "json") io.stdout(JSON.stringify(reports, null, 2) + "\n");
  else if (errorCount + warningCount > 0) io.stderr(`${[errorCount ? plural(errorCount, "error") : "", warningCount ? plural(warningCount, "warning") : ""].filter(Boolean).join(", ")}\n`);
  return failed ? 1 : 0;
}

/** Atomic (temporary file, then rename), through symlinks, keeping the file's mode: the emit stage's writer does all three. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const { writeOutputs } = await import("../emit/write.js");
  await writeOutputs([{ path: file, content: text }]);
}

export async function policyFmt(files: string[], opts: PolicyFmtOptions, io: PolicyIo): Promise<number> {
  let status = 0;
  const unformatted: string[] = [];
  for (const file of files) {
    const source = await readSource(file);
    if ("error" in source) {
      io.stderr(formatDiagnostic({ severity: "error", code: "read-failed", message: source.error, location: { file, line: 0, column: 0 } }) + "\n");
      status = 1;
      continue;
    }
    if (languageOf(file) === "cedar") {
      // The formatter is SQRT-only; Cedar files pass through untouched.
      if (!opts.write && !opts.check) io.stdout(source.code);
      continue;
    }
    const result = formatSqrt(source.code);
    if (!result.ok) {
      const sources = new Map([[file, source.code]]);
      io.stderr(formatDiagnostics(result.diagnostics.map((d) => toDiagnostic(file, sourceLineIndex(sources, file), d)), { sources }) + "\n");
      status = 1;
      continue;
    }
    const changed = result.text !== source.code;
    if (opts.check) {
      if (changed) unformatted.push(file);
    } else if (opts.write) {
      if (changed) {
        try {
          await writeAtomically(file, result.text);
          io.stderr(`formatted ${file}\n`);
        } catch (e) {
          io.stderr(`${file}: error: cannot write file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
          status = 1;
        }
      }
    } else io.stdout(result.text);
  }
  if (unformatted.length > 0) {
    for (const f of unformatted) io.stderr(`${f}: not formatted\n`);
    io.stderr(`${plural(unformatted.length, "file")} not formatted (run 'sequrity-config policy fmt --write')\n`);
    status = 1;
  }
  return status;
}
