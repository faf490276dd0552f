/**
 * `policy check` and `policy fmt`: plain functions, wired into commander by main.ts. Their inputs
 * (files, directories, `-`) come from policy-inputs.ts. Diagnostics go to stderr, as the other
 * commands print them (report.ts); `--format json|github` and formatted code go to stdout.
 */
import { formatCedar } from "../check/cedar.js";
import { checkPolicyCode, formatSqrt, type FormatResult, type PolicyIssue } from "../check/index.js";
import {
  DiagnosticError,
  diagnosticJson,
  formatDiagnostics,
  locatedNote,
  sourceLineIndex,
  type Diagnostic,
  type LineIndex,
  useColor,
} from "../diagnostics/index.js";
import { EXIT, type Io } from "./io.js";
import { readPolicyInputs, STDIN_ARG, type PolicyLanguage } from "./policy-inputs.js";
import type { PolicyCheckOptions, PolicyFmtOptions } from "./options.js";
import { promoteWarnings, report } from "./report.js";

/** A place the message refers to, in `--format json`. */
interface RelatedJson {
  line: number;
  column: number;
  message: string;
}

/** One problem of `policy check --format json`; no line or column (null) when the file was not read. */
interface JsonProblem {
  line: number | null;
  column: number | null;
  message: string;
  code: string;
  /** The other places the message refers to (the rule that shadows this one...). */
  related?: RelatedJson[];
}

/** One entry of the array product.md specifies. */
interface JsonFileReport {
  file: string;
  valid: boolean;
  errors: JsonProblem[];
  warnings: JsonProblem[];
}

interface Finding {
  diagnostic: Diagnostic;
  related?: RelatedJson[];
}

interface CheckedFile {
  name: string;
  findings: Finding[];
}

/** The code is the whole file here, so offsets in the code are offsets in the file. */
function findingOf(file: string, lines: LineIndex, i: PolicyIssue): Finding {
  const d: Diagnostic = {
    severity: i.severity,
    code: i.code,
    message: i.message,
    location: { file, line: i.line, column: i.column, length: Math.max(1, i.length) },
  };
  if (!i.related) return { diagnostic: d };
  const related = i.related.map((r) => ({ ...lines.position(r.offset), message: r.message }));
  d.notes = related.map((r) => locatedNote({ file, line: r.line, column: r.column }, r.message));
  return { diagnostic: d, related };
}

/** `-` twice would read stdin twice (the second time empty); `--write` has nowhere to put stdin's text. */
function usageProblem(args: readonly string[], write: boolean): string | undefined {
  const stdin = args.filter((a) => a === STDIN_ARG).length;
  if (write && stdin > 0) return "--write cannot rewrite stdin (-); without --write the formatted code is printed";
  if (stdin > 1) return "stdin (-) can be given only once";
  return undefined;
}

function usageError(io: Io, message: string): number {
  io.stderr(`error: ${message}\n`);
  return EXIT.usage;
}

function jsonReport(file: CheckedFile, strict: boolean | undefined, quiet: boolean | undefined): JsonFileReport {
  const promoted = promoteWarnings(
    file.findings.map((f) => f.diagnostic),
    strict,
  );
  const entry: JsonFileReport = { file: file.name, valid: true, errors: [], warnings: [] };
  promoted.forEach((d, n) => {
    const j = diagnosticJson(d);
    const related = file.findings[n]?.related;
    const problem: JsonProblem = { line: j.line, column: j.column, message: j.message, code: j.code, ...(related ? { related } : {}) };
    if (d.severity === "error") entry.errors.push(problem);
    else if (!quiet) entry.warnings.push(problem);
  });
  entry.valid = entry.errors.length === 0;
  return entry;
}

export async function policyCheck(args: readonly string[], opts: PolicyCheckOptions, io: Io): Promise<number> {
  const usage = usageProblem(args, false);
  if (usage) return usageError(io, usage);
  const sources = new Map<string, string>();
  const checked: CheckedFile[] = [];
  for (const input of await readPolicyInputs(args, io, opts)) {
    if (!input.ok) {
      checked.push({ name: input.name, findings: [{ diagnostic: input.diagnostic }] });
      continue;
    }
    sources.set(input.name, input.text);
    const lines = sourceLineIndex(sources, input.name);
    const issues = await checkPolicyCode(input.text, input.language, { lint: true });
    checked.push({ name: input.name, findings: issues.map((i) => findingOf(input.name, lines, i)) });
  }
  if (opts.format === "json") {
    const reports = checked.map((f) => jsonReport(f, opts.strict, opts.quiet));
    io.stdout(JSON.stringify(reports, null, 2) + "\n");
    return reports.every((r) => r.valid) ? EXIT.ok : EXIT.invalid;
  }
  const diagnostics = checked.flatMap((f) => f.findings.map((x) => x.diagnostic));
  const failed = report(io, diagnostics, { sources, strict: opts.strict, format: opts.format, quiet: opts.quiet, writes: false });
  return failed ? EXIT.invalid : EXIT.ok;
}

/** "\r\n" when every line of `text` ends in CRLF, else "\n": a file with mixed line ends is made uniform. */
function lineEndOf(text: string): "\r\n" | "\n" {
  let lf = 0;
  let crlf = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
    lf++;
    if (text.charCodeAt(i - 1) === 13) crlf++;
  }
  return crlf > 0 && crlf === lf ? "\r\n" : "\n";
}

/**
 * The formatters write LF; a CRLF file gets its CRLF back. Safe for both languages: neither SQRT
 * nor Cedar strings can hold a line break in a CRLF file (Cedar refuses a raw CR), so only the
 * layout and comments change.
 */
async function formatPolicy(text: string, language: PolicyLanguage): Promise<FormatResult> {
  const result = language === "cedar" ? await formatCedar(text) : formatSqrt(text);
  if (!result.ok || lineEndOf(text) === "\n") return result;
  return { ...result, text: result.text.replace(/\r?\n/g, "\r\n") };
}

/** Atomic (temporary file, then rename), through symlinks, keeping the file's mode: the emit stage's writer does all three. */
async function rewrite(io: Io, file: string, content: string): Promise<Diagnostic[]> {
  const { writeOutputs } = await import("../emit/write.js");
  try {
    await writeOutputs([{ path: file, content }], { cwd: io.cwd });
    return [];
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
}

export async function policyFmt(args: readonly string[], opts: PolicyFmtOptions, io: Io): Promise<number> {
  const usage = usageProblem(args, Boolean(opts.write));
  if (usage) return usageError(io, usage);
  let status: number = EXIT.ok;
  const fail = (diagnostics: readonly Diagnostic[], sources?: ReadonlyMap<string, string>) => {
    io.stderr(formatDiagnostics(diagnostics, { ...(sources ? { sources } : {}), color: useColor(io.isTTY) }) + "\n");
    status = EXIT.invalid;
  };
  const unformatted: string[] = [];
  for (const input of await readPolicyInputs(args, io, opts)) {
    if (!input.ok) {
      fail([input.diagnostic]);
      continue;
    }
    const result = await formatPolicy(input.text, input.language);
    if (!result.ok) {
      const sources = new Map([[input.name, input.text]]);
      const lines = sourceLineIndex(sources, input.name);
      fail(
        result.diagnostics.map((i) => findingOf(input.name, lines, i).diagnostic),
        sources,
      );
      continue;
    }
    const changed = result.text !== input.text;
    // The byte-order mark is kept, and is not a formatting difference.
    const content = (input.bom ? "\ufeff" : "") + result.text;
    if (opts.check) {
      if (changed) unformatted.push(input.name);
    } else if (!opts.write) io.stdout(content);
    else if (changed) {
      const refused = await rewrite(io, input.name, content);
      if (refused.length > 0) fail(refused);
      else io.stderr(`formatted ${input.name}\n`);
    }
  }
  if (unformatted.length > 0) {
    for (const f of unformatted) io.stderr(`${f}: not formatted\n`);
    io.stderr(`${unformatted.length} file${unformatted.length === 1 ? "" : "s"} not formatted (run 'sequrity-config policy fmt --write')\n`);
    status = EXIT.invalid;
  }
  return status;
}
