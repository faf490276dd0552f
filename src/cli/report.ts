import { formatDiagnostics, hasErrors, type Diagnostic } from "../diagnostics/index.js";
import { EXIT, type Io } from "./io.js";

/** The exit status of a failed run: naming an environment the config lacks is wrong usage (2). */
export function failureStatus(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.some((d) => d.code === "no-such-environment") ? EXIT.usage : EXIT.invalid;
}

export interface ReportOptions {
  sources?: ReadonlyMap<string, string>;
  /** Warnings count as errors (`--strict`). */
  strict?: boolean;
  /** The command writes files: say that nothing was written when it fails. */
  writes?: boolean;
}

/** Prints diagnostics to stderr with a summary line; returns true when the run must fail. */
export function report(io: Io, diagnostics: readonly Diagnostic[], options: ReportOptions = {}): boolean {
  const shown = options.strict ? diagnostics.map((d) => (d.severity === "warning" ? { ...d, severity: "error" as const } : d)) : diagnostics;
  if (shown.length === 0) return false;
  io.stderr(formatDiagnostics(shown, options.sources ? { sources: options.sources } : {}) + "\n");
  const errors = shown.filter((d) => d.severity === "error").length;
  const warnings = shown.length - errors;
  const parts = [errors ? `${errors} error${errors === 1 ? "" : "s"}` : "", warnings ? `${warnings} warning${warnings === 1 ? "" : "s"}` : ""].filter(Boolean);
  io.stderr(`${parts.join(", ")}${errors && options.writes !== false ? "; nothing written" : ""}\n`);
  return hasErrors(shown);
}
