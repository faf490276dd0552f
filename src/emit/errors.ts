import type { ErrorCode } from "../errors.js";
import { DiagnosticError, error, type SourceLocation } from "../diagnostics/index.js";

/** Emit-stage problems are user mistakes (bad option, unrepresentable value, broken template): report, don't crash. */
export function emitError(code: ErrorCode, message: string, location?: SourceLocation, environments?: string[]): DiagnosticError {
  return new DiagnosticError([error(code, message, location, environments && environments.length > 0 ? { environments } : {})]);
}
