// .env quoting that both `dotenv` (v17) and a POSIX shell (`set -a; . FILE`) read back exactly.
//
// dotenv has no escapes (a value is raw text minus one pair of outer quotes; "..." also expands \n),
// and sh needs '\'' for a single quote, so:
//   1. No single quote: NAME='value'. Literal in sh; literal in dotenv (may even span lines).
//   2. A single quote but none of " \ $ ` or newline: NAME="value". Literal in both.
//   3. Anything else with a single quote (every JSON header holding an apostrophe): no single line reads
//      the same in both, so the value is written twice: `{ NAME='...'\''...'; }` for sh (dotenv ignores
//      lines that do not start with a name) and a line inside a no-op here-document for dotenv (sh skips
//      the body) using whichever dotenv quoting keeps the value intact.
// A value ending in a backslash makes dotenv read `\'` as "not closed yet" and look for a later quote;
// a guard comment with quotes right after the line gives that search a dead end.
// Refused (DiagnosticError): NUL, CR and lone surrogates (neither reader keeps them), a newline in
// form 3 (or U+2028/U+2029, which dotenv's parser also treats as a line break), and the rare values no dotenv quoting keeps intact (e.g. ' and ` and # together).
// Every file is re-read through a model of dotenv's parser before it is returned.
import { parseDotenvModel } from "./dotenv-model.js";
import { emitError } from "./errors.js";
import { shellQuote } from "./literals.js";

export const DOTENV_HEREDOC = "SEQURITY_DOTENV_ONLY";
// Not String#isWellFormed: that is ES2024 and the project targets ES2022 typings.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const GUARD = "#'\"`- guard: the value above ends with a backslash";

function unsupported(value: string): string | undefined {
  if (value.includes("\0")) return "a NUL character";
  if (value.includes("\r")) return "a carriage return (dotenv turns it into a newline)";
  if (LONE_SURROGATE.test(value)) return "a lone UTF-16 surrogate";
  return undefined;
}

/** Name check shared with the prefix validation: dotenv keys are [\w.-]+, sh names [A-Za-z_][A-Za-z0-9_]*. */
export function isShellName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

function dotenvReads(line: string, name: string): string | undefined {
  return parseDotenvModel(`${line}\n`)[name];
}

/** A one-line value that sh and dotenv both read as `value`, or undefined when none exists. */
function sharedForm(value: string): string | undefined {
  let candidate: string | undefined;
  if (!value.includes("'")) candidate = `'${value}'`;
  else if (!/["\\$`\n]/.test(value)) candidate = `"${value}"`;
  if (candidate === undefined) return undefined;
  return dotenvReads(`X=${candidate}`, "X") === value ? candidate : undefined;
}

/** A one-line value dotenv alone reads as `value` (sh never sees it). */
function dotenvOnlyForm(value: string): string | undefined {
  for (const candidate of [`\`${value}\``, `'${value}'`, `"${value}"`, value]) {
    if (dotenvReads(`X=${candidate}`, "X") === value) return candidate;
  }
  return undefined;
}

function refuse(name: string, why: string): never {
  throw emitError(
    "env-unrepresentable",
    `cannot write ${name} to a .env file that dotenv and sh both read back exactly: the value contains ${why}; use -f json or -f ts for this value`,
  );
}

/**
 * The quoted value for `NAME=<here>` on one line, read identically by dotenv and sh. Throws when the value
 * needs the two-line form (use dotenvAssign) or ends in a backslash (safe only with dotenvAssign's guard).
 */
export function dotenvQuote(value: unknown): string {
  if (typeof value !== "string") throw new TypeError("dotenvQuote expects a string");
  const bad = unsupported(value);
  if (bad !== undefined) refuse("the value", bad);
  const form = value.endsWith("\\") ? undefined : sharedForm(value);
  if (form === undefined) {
    refuse("the value", "quote characters or a trailing backslash that need more than one line (use the dotenvAssign helper)");
  }
  return form;
}

/** The lines (no final newline) that set `name` to `value` for both readers. */
export function dotenvAssign(name: unknown, value: unknown): string {
  if (typeof name !== "string" || !isShellName(name)) throw new TypeError(`dotenvAssign: invalid variable name ${JSON.stringify(name)}`);
  if (typeof value !== "string") throw new TypeError(`dotenvAssign expects a string value for ${name}`);
  const bad = unsupported(value);
  if (bad !== undefined) refuse(name, bad);
  const guard = value.endsWith("\\") ? `\n${GUARD}` : "";
  const shared = sharedForm(value);
  if (shared !== undefined) return `${name}=${shared}${guard}`;
  if (value.includes("\n")) refuse(name, "both a single quote and a newline");
  // dotenv's parser treats U+2028/U+2029 as line starts, so the sh-only line would look like a new assignment.
  if (/[\u2028\u2029]/.test(value)) refuse(name, "both a single quote and a Unicode line separator (U+2028/U+2029)");
  const forDotenv = dotenvOnlyForm(value);
  if (forDotenv === undefined) refuse(name, "a combination of quote characters and # that dotenv cannot quote");
  return [
    `# ${name} mixes quote characters, so no one line reads the same in dotenv and sh:`,
    "# sh runs the braced line, dotenv reads the line in the no-op here-document.",
    `{ ${name}=${shellQuote(value)}; }`,
    `: <<'${DOTENV_HEREDOC}'`,
    `${name}=${forDotenv}${guard}`,
    DOTENV_HEREDOC,
  ].join("\n");
}

/** Re-reads a finished file through the dotenv model; throws rather than let a wrong file be written. */
export function verifyDotenvFile(content: string, variables: readonly { name: string; value: string }[], file: string): void {
  const parsed = parseDotenvModel(content);
  const expected = new Map(variables.map((v) => [v.name, v.value]));
  for (const [name, value] of expected) {
    if (parsed[name] !== value) refuse(name, `text that dotenv would misread in ${file}`);
  }
  for (const name of Object.keys(parsed)) {
    if (!expected.has(name)) {
      throw emitError("env-unrepresentable", `cannot write ${file}: dotenv would read a variable ${name} that is not in it; use -f json or -f ts`);
    }
  }
}
