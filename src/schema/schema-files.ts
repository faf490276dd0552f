import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root. Every module that computes it sits two levels below it (`src/schema`,
 * `dist/schema`, and the bundle in `dist/bundle`), so shipped files are found from any of them.
 */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SCHEMAS_DIR = path.join(PACKAGE_ROOT, "schemas");

/** File names of the exported JSON Schemas in `schemas/`, by what they describe. */
export const SCHEMA_FILES = {
  features: "x-features.schema.json",
  policy: "x-policy.schema.json",
  config: "x-config.schema.json",
  file: "sequrity-config.schema.json",
  test: "sequrity-test.schema.json",
} as const;
