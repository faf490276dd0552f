import type { ErrorCode } from "../errors.js";
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
  /** Stable machine-readable code (src/errors.ts lists them all; docs/errors.md explains each). */
  code: ErrorCode;
  message: string;
  location?: SourceLocation;
  /** Environments affected, in file order; printed after the message. */
  environments?: string[];
  /** Extra lines printed under the code frame (e.g. an `extends` chain). */
  notes?: string[];
  /** JSON Pointer of the offending value in the config file as written, when known. */
  path?: string;
}

export function error(code: ErrorCode, message: string, location?: SourceLocation, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: "error", code, message, ...(location ? { location } : {}), ...extra };
}

export function warning(code: ErrorCode, message: string, location?: SourceLocation, extra: Partial<Diagnostic> = {}): Diagnostic {
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

/** " (environment a)" / " (environments a, b)" after a message, as every output format writes it; "" for none. */
export function environmentsSuffix(d: Diagnostic): string {
  const envs = d.environments ?? [];
  if (envs.length === 0) return "";
  return envs.length === 1 ? ` (environment ${envs[0]})` : ` (environments ${envs.join(", ")})`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** The one diagnostic for an environment named on the command line (or to the library) that the config lacks. */
export function noSuchEnvironment(names: readonly string[], defined: readonly string[], configPath?: string): Diagnostic {
  const which = names.map((n) => JSON.stringify(n)).join(", ");
  return error("no-such-environment", `unknown environment ${which}; ${configPath ?? "the config"} defines: ${defined.join(", ")}`);
}
