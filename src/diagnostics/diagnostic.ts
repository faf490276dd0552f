/** A position in a user's file. Lines and columns are 1-based; `line: 0` means the file has no usable position (a JS config). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** Length of the offending span on its first line, for the code frame's underline. */
  length?: number;
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `yaml-syntax`, `unknown-key`, `sqrt-syntax`. */
  code: string;
  message: string;
  location?: SourceLocation;
  /** Environments affected, in file order; printed after the message. */
  environments?: string[];
  /** Extra lines printed under the code frame (e.g. an `extends` chain). */
  notes?: string[];
  /** JSON Pointer of the offending value in the config file as written, when known. */
  path?: string;
}

export function error(code: string, message: string, location?: SourceLocation, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: "error", code, message, ...(location ? { location } : {}), ...extra };
}

export function warning(code: string, message: string, location?: SourceLocation, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: "warning", code, message, ...(location ? { location } : {}), ...extra };
}

/** Thrown for user mistakes only; the CLI prints the diagnostics and exits 1, never a stack trace. */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join("\n"));
    this.name = "DiagnosticError";
    this.diagnostics = diagnostics;
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
