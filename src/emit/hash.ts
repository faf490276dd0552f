import { hash } from "node:crypto";
import { HEADER_NAMES, type CompiledEnvironment } from "../serialize/compiled.js";

/**
 * Short sha256 of the emitted header data (environment names and header strings, in order), so a
 * banner changes exactly when the headers change, not when the tool or a template does.
 */
export function contentHash(environments: readonly CompiledEnvironment[]): string {
  const data = environments.map((env) => [env.name, HEADER_NAMES.map((h) => env.headers[h] ?? null)]);
  // One-shot crypto.hash: no Hash object per file (a build may write 10,000).
  return `sha256:${hash("sha256", JSON.stringify(data), "hex").slice(0, 12)}`;
}
