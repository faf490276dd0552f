import { diagnosticJson, formatDiagnostics, githubAnnotation, hasErrors, useColor, type Diagnostic, type DiagnosticFormat } from "../diagnostics/index.js";
import { exitKindOf } from "../errors.js";
import { EXIT, type Io } from "./io.js";

/** The exit status of a failed run, from its errors' codes (src/errors.ts): wrong usage is 2, anything else 1. */
export function failureStatus(diagnostics: readonly Diagnostic[]): number {
  return exitKindOf(diagnostics.filter((d) => d.severity === "error").map((d) => d.code)) === "usage" ? EXIT.usage : EXIT.invalid;
}

export interface ReportOptions {
  sources?: ReadonlyMap<string, string>;
  /** Warnings count as errors (`--strict`): they are printed and counted as errors. */
  strict?: boolean;
  /** The command writes files: say that nothing was written when it fails. */
  writes?: boolean;
  /** `--format`: text on stderr (default); json and github annotations on stdout. */
  format?: DiagnosticFormat;
  /** `--quiet`: errors only. */
  quiet?: boolean;
  /** Extra top-level fields of the JSON object (e.g. `valid`, `environments`). */
  json?: Record<string, unknown>;
  /** Where json and github output go: stdout (default), or stderr when the command's result owns stdout. */
  machineStream?: "stdout" | "stderr";
}

/** `--strict`: every warning becomes an error and is labelled so; one diagnostic out for each one in, in order. */
export function promoteWarnings(diagnostics: readonly Diagnostic[], strict: boolean | undefined): readonly Diagnostic[] {
  return strict ? diagnostics.map((d) => (d.severity === "warning" ? { ...d, severity: "error" as const } : d)) : diagnostics;
}

/** The `--format json` document of a run: `valid`, the command's own fields, then the diagnostics shown. */
export function jsonDocument(diagnostics: readonly Diagnostic[], options: ReportOptions = {}): Record<string, unknown> {
  const promoted = promoteWarnings(diagnostics, options.strict);
  const shown = options.quiet ? promoted.filter((d) => d.severity === "error") : promoted;
  return { valid: !hasErrors(promoted), ...options.json, diagnostics: shown.map(diagnosticJson) };
}

/** Prints diagnostics with a summary line; returns true when the run must fail. */
export function report(io: Io, diagnostics: readonly Diagnostic[], options: ReportOptions = {}): boolean {
  const promoted = promoteWarnings(diagnostics, options.strict);
  const failed = hasErrors(promoted);
  const shown = options.quiet ? promoted.filter((d) => d.severity === "error") : promoted;
  const format = options.format ?? "text";
  const machine = options.machineStream === "stderr" ? io.stderr : io.stdout;
  if (format === "json") {
    machine(JSON.stringify(jsonDocument(diagnostics, options), null, 2) + "\n");
    return failed;
  }
  if (format === "github") {
    for (const d of shown) machine(githubAnnotation(d) + "\n");
    return failed;
  }
  if (shown.length === 0) return failed;
  io.stderr(formatDiagnostics(shown, { ...(options.sources ? { sources: options.sources } : {}), color: useColor(io.isTTY) }) + "\n");
  const errors = shown.filter((d) => d.severity === "error").length;
  const warnings = shown.length - errors;
  const parts = [errors ? `${errors} error${errors === 1 ? "" : "s"}` : "", warnings ? `${warnings} warning${warnings === 1 ? "" : "s"}` : ""].filter(Boolean);
  io.stderr(`${parts.join(", ")}${errors && options.writes !== false ? "; nothing written" : ""}\n`);
  return failed;
}
