// What the .env tests share, in-process (env.test.ts) and through real shells (env.e2e.test.ts).
import fc from "fast-check";
import { DiagnosticError } from "../../src/diagnostics/index.js";
import { renderEnvFile } from "../../src/emit/env.js";
import type { CompiledEnvironment } from "../../src/serialize/compiled.js";
import { FIXTURE_HEADERS, env } from "./support.js";

/** The variables a reader of the environment's .env file must end up with. */
export function expectedVars(e: CompiledEnvironment, prefix = "SEQURITY_"): Record<string, string> {
  const out: Record<string, string> = {};
  if (e.headers["X-Features"] !== undefined) out[`${prefix}FEATURES`] = e.headers["X-Features"];
  if (e.headers["X-Policy"] !== undefined) out[`${prefix}POLICY`] = e.headers["X-Policy"];
  if (e.headers["X-Config"] !== undefined) out[`${prefix}CONFIG`] = e.headers["X-Config"];
  return out;
}

/** The .env text of one environment, or the refusal. */
export async function tryRender(e: CompiledEnvironment): Promise<string | DiagnosticError> {
  try {
    return await renderEnvFile(e, { configPath: "sequrity.config.yaml", file: ".env.test" });
  } catch (err) {
    if (err instanceof DiagnosticError) return err;
    throw err;
  }
}

// Tokens chosen to hit every rule of both parsers: quotes of all kinds, expansions, escapes, comments.
const token = fc.constantFrom(
  "'",
  '"',
  "`",
  "$",
  "${HOME}",
  "$(echo pwned)",
  "`id`",
  "\\",
  "\\n",
  "\\r",
  "\\'",
  '\\"',
  "\\`",
  "#",
  " #",
  "# ",
  "=",
  " ",
  "  ",
  "\t",
  "a",
  "Z",
  "{",
  "}",
  "(",
  ")",
  ":",
  ";",
  "&",
  "|",
  "*",
  "?",
  "~",
  "!",
  "%",
  "<",
  ">",
  "é",
  "\u00e9\u4e2d",
  "😀",
  "\u2028",
  "export ",
  "A=b",
  "\n",
);
export const envValue = fc.array(token, { maxLength: 14 }).map((t) => t.join(""));
export const envHeaders = fc.record({ "X-Features": envValue, "X-Policy": envValue, "X-Config": envValue }, { requiredKeys: [] });

/** Every fixture header string as the .env file of an environment holding only it. */
export async function fixtureCases(): Promise<{ content: string; expected: Record<string, string> }[]> {
  const cases = [];
  for (const f of FIXTURE_HEADERS) {
    const e = env(f.id, { [f.header]: f.value });
    const content = await tryRender(e);
    if (typeof content !== "string") throw new Error(`fixture ${f.id} refused: ${content.message}`);
    cases.push({ content, expected: expectedVars(e) });
  }
  return cases;
}
