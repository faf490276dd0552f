import { DiagnosticError, noSuchEnvironment } from "../diagnostics/index.js";
import type { CompiledConfig, CompiledEnvironment } from "../serialize/compiled.js";

/** The requested environments in file order (not request order); all of them when none are named. */
export function selectEnvironments(compiled: CompiledConfig, names?: readonly string[]): CompiledEnvironment[] {
  if (names === undefined || names.length === 0) return [...compiled.environments];
  const known = new Set(compiled.environments.map((e) => e.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const defined = compiled.environments.map((e) => e.name);
    throw new DiagnosticError([noSuchEnvironment(unknown, defined.length > 0 ? defined : ["none"], compiled.configPath)]);
  }
  const wanted = new Set(names);
  return compiled.environments.filter((e) => wanted.has(e.name));
}
