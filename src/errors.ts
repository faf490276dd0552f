/**
 * Every diagnostic code the tool can report: a closed union, so a new code cannot ship without a
 * line here, and docs/errors.md (whose table a test compares with this list) explains each one
 * with a minimal example. `exit` is the status a command exits with when it reports the code as
 * an error: `usage` (2) for a wrong command line, `invalid` (1) for everything else.
 */
export type ExitKind = "invalid" | "usage";

const invalid = { exit: "invalid" } as const;
const usage = { exit: "usage" } as const;

export const CODES = {
  // Reading files
  "config-not-found": invalid,
  "config-load": invalid,
  "config-type": invalid,
  "file-not-found": invalid,
  "read-failed": invalid,
  "binary-file": invalid,
  "not-a-regular-file": invalid,
  "file-too-large": invalid,
  "outside-project": invalid,
  "home-path": invalid,
  "invalid-path": invalid,
  "empty-config": invalid,
  "not-a-mapping": invalid,
  // YAML
  "yaml-syntax": invalid,
  "yaml-multiple-documents": invalid,
  "yaml-version": invalid,
  "yaml-tag": invalid,
  "duplicate-key": invalid,
  "yaml-alias": invalid,
  "yaml-merge-key": invalid,
  "yaml-key": invalid,
  "yaml-type": invalid,
  "forbidden-key": invalid,
  "non-finite": invalid,
  // Shape and header fields
  "unknown-key": invalid,
  "missing-key": invalid,
  "invalid-value": invalid,
  "reserved-key": invalid,
  "no-environments": invalid,
  "codes-conflict": invalid,
  "override-validated-field": invalid,
  // Imports
  "package-not-found": invalid,
  "package-no-config": invalid,
  "import-cycle": invalid,
  "import-not-data": invalid,
  "import-alias-conflict": invalid,
  "unknown-import": invalid,
  // Merging
  "extends-cycle": invalid,
  "unknown-environment": invalid,
  "bad-directive": invalid,
  "directive-kind": invalid,
  "directive-arg": invalid,
  "overrides-tool-key": invalid,
  // Selecting environments
  "no-such-environment": usage,
  // Policy code
  "sqrt-syntax": invalid,
  "nesting-too-deep": invalid,
  "cedar-syntax": invalid,
  "undefined-name": invalid,
  "duplicate-let": invalid,
  "duplicate-tool": invalid,
  "bad-regex": invalid,
  "unreachable-rule": invalid,
  "header-size": invalid,
  "minify-refused": invalid,
  "sqrt-minify-internal": invalid,
  "sqrt-format-internal": invalid,
  "no-policy-files": invalid,
  // Policy tests
  "no-tests": usage,
  "no-test-files": invalid,
  "duplicate-case": invalid,
  "unknown-result": invalid,
  "bad-set": invalid,
  // Outputs
  "invalid-env-prefix": usage,
  "env-needs-out": usage,
  "invalid-environment-name": invalid,
  "output-conflict": invalid,
  "output-path": invalid,
  "output-is-input": invalid,
  "output-not-generated": invalid,
  "output-not-regular": invalid,
  "output-symlink": invalid,
  "write-failed": invalid,
  "env-unrepresentable": invalid,
  "template-missing": invalid,
  "template-syntax": invalid,
  "template-unknown-helper": invalid,
  "template-error": invalid,
  "template-no-marker": invalid,
} as const satisfies Record<string, { exit: ExitKind }>;

export type ErrorCode = keyof typeof CODES;

export const ERROR_CODES = Object.keys(CODES) as ErrorCode[];

/** The exit status for a failed run that reported these codes as errors. */
export function exitKindOf(codes: Iterable<ErrorCode>): ExitKind {
  for (const c of codes) if (CODES[c].exit === "usage") return "usage";
  return "invalid";
}
