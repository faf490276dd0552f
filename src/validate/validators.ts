/**
 * ajv validators for the exported JSON Schemas in `schemas/`. The build compiles them ahead of
 * time into standalone code (scripts/build-validators.js) so the CLI does not pay ~300 ms of
 * schema compilation at every start; when that file is absent (tests on the sources) they are
 * compiled here from the same files.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ErrorObject } from "ajv";
import { PACKAGE_ROOT, SCHEMA_FILES, SCHEMAS_DIR } from "../schema/schema-files.js";
import { loadWithCodeCache } from "../code-cache.js";

export type SchemaName = keyof typeof SCHEMA_FILES;
export type ValidateFn = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const requireCjs = createRequire(import.meta.url);
/** Written by scripts/build-validators.js. */
export const STANDALONE_FILE = path.join(PACKAGE_ROOT, "dist", "validate", "standalone.cjs");

let loaded: Record<SchemaName, ValidateFn> | undefined;

export function getValidators(): Record<SchemaName, ValidateFn> {
  loaded ??= loadValidators();
  return loaded;
}

function loadValidators(): Record<SchemaName, ValidateFn> {
  try {
    return loadWithCodeCache<Record<SchemaName, ValidateFn>>(STANDALONE_FILE);
  } catch {
    // Not built (tests run on the sources): compile from the schema files below.
    return compileValidators();
  }
}

export function compileValidators(): Record<SchemaName, ValidateFn> {
  const Ajv2020 = (requireCjs("ajv/dist/2020.js") as { default: typeof import("ajv/dist/2020.js").default }).default;
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
  const out = {} as Record<SchemaName, ValidateFn>;
  // Every schema is added first (they refer to each other); each is compiled when first used.
  for (const [name, file] of Object.entries(SCHEMA_FILES) as [SchemaName, string][]) {
    const schema = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, file), "utf8")) as { $id: string };
    ajv.addSchema(schema);
    let compiled: ValidateFn | undefined;
    Object.defineProperty(out, name, { enumerable: true, get: () => (compiled ??= ajv.getSchema(schema.$id) as ValidateFn) });
  }
  return out;
}
