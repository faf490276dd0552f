import { DiagnosticError, error, type SourceLocation } from "../diagnostics/index.js";

/** Emit-stage problems are user mistakes (bad option, unrepresentable value, broken template): report, don't crash. */
export function emitError(code: string, message: string, location?: SourceLocation, environments?: string[]): DiagnosticError {
  return new DiagnosticError([error(code, message, location, environments && environments.length > 0 ? { environments } : {})]);
}
