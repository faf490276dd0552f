import { HEADER_NAMES, type CompiledConfig } from "../serialize/compiled.js";
import { selectEnvironments } from "./select.js";

/**
 * `-f json`: environment name (file order) → present headers, 2-space indented, final newline.
 * Built on null-prototype objects so an environment named `__proto__` is an ordinary key.
 */
export function renderJson(compiled: CompiledConfig, envNames?: readonly string[]): string {
  const out: Record<string, Record<string, string>> = Object.create(null) as Record<string, Record<string, string>>;
  for (const env of selectEnvironments(compiled, envNames)) {
    const headers: Record<string, string> = {};
    for (const name of HEADER_NAMES) {
      const value = env.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    out[env.name] = headers;
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}
