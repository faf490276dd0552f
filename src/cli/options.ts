/**
 * The options of each command, as commander hands them over (src/cli/main.ts declares the flags).
 * `config` is a list where `-c` may be repeated (validate, build --check, test, review).
 */
import type { DiagnosticFormat } from "../diagnostics/index.js";
import type { FailOn } from "../review/review.js";

/** `-c` (repeatable) and `--all`: which configs a command runs on. */
export interface ConfigsOptions {
  config?: string[];
  /** Every config under the project root (node_modules skipped). */
  all?: boolean;
}

export interface ValidateCliOptions extends ConfigsOptions {
  env?: string[];
  strict?: boolean;
  format?: DiagnosticFormat;
  quiet?: boolean;
}

export interface BuildCliOptions extends ConfigsOptions {
  env?: string[];
  /** json | env | ts | PATH.hbs */
  format: string;
  out?: string;
  check?: boolean;
  force?: boolean;
  envPrefix: string;
  minifyPolicy?: boolean;
  strict?: boolean;
  watch?: boolean;
  diagnostics?: DiagnosticFormat;
  quiet?: boolean;
}

/** What one build of one config is given: a single `-c`. */
export type SingleBuildOptions = Omit<BuildCliOptions, "config" | "all"> & { config?: string };

export interface TestCliOptions extends ConfigsOptions {
  env?: string[];
  format: "text" | "json" | "junit";
  out?: string;
  force?: boolean;
}

export type ReviewFormat = "text" | "markdown" | "json" | "github";

export interface ReviewCliOptions extends ConfigsOptions {
  base?: string;
  against?: string;
  env?: string[];
  format: ReviewFormat;
  failOn: FailOn;
}

export interface PrintCliOptions {
  config?: string;
  env: string;
  header?: "features" | "policy" | "config";
}

export interface ExplainCliOptions {
  config?: string;
  env: string;
}

export interface DiffCliOptions {
  config?: string;
}

export interface PromoteCliOptions {
  config?: string;
  write?: boolean;
}

export interface PolicyCheckOptions {
  format: DiagnosticFormat;
  /** Warnings are errors (`--strict`), labelled so. */
  strict?: boolean;
  /** Errors only (`--quiet`). */
  quiet?: boolean;
  /** Stdin's name in messages; its extension gives its language. */
  stdinFilepath?: string;
}

/** `--write` and `--check` exclude each other. */
export interface PolicyFmtOptions {
  write?: boolean;
  check?: boolean;
  stdinFilepath?: string;
}
