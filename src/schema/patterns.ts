/**
 * Patterns of the config file's string fields, and what a value matching each is, in words. A
 * module of its own, without zod: validation messages read it on every run, and the zod models in
 * config-file.ts are only needed to export the JSON Schemas.
 */
export const EXTENDS_NAME = /^[A-Za-z_][A-Za-z0-9_-]*(\/[A-Za-z_][A-Za-z0-9_-]*)?$/;
export const IMPORT_SPEC = /^(\.\.?\/.+|(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*)$/;

/** Messages say this rather than print the regex. */
export const PATTERN_WORDS: ReadonlyMap<string, string> = new Map([
  [EXTENDS_NAME.source, "an environment name or ALIAS/ENVIRONMENT (letters, digits, _ and -, starting with a letter or _)"],
  [IMPORT_SPEC.source, "an npm package name (lowercase, optionally @scope/name) or a path starting with ./ or ../"],
]);
