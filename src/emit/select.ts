import type { CompiledConfig, CompiledEnvironment } from "../serialize/compiled.js";
import { emitError } from "./errors.js";

/** The requested environments in file order (not request order); all of them when none are named. */
export function selectEnvironments(compiled: CompiledConfig, names?: readonly string[]): CompiledEnvironment[] {
  if (names === undefined || names.length === 0) return [...compiled.environments];
  const known = new Set(compiled.environments.map((e) => e.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const list = compiled.environments.map((e) => e.name).join(", ") || "none";
    throw emitError("unknown-environment", `unknown environment ${unknown.map((n) => `"${n}"`).join(", ")} (defined: ${list})`);
  }
  const wanted = new Set(names);
  return compiled.environments.filter((e) => wanted.has(e.name));
}
