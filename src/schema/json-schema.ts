/** Turns the zod models into the JSON Schemas shipped in `schemas/` (draft 2020-12). */
import * as z from "zod";
import { ConfigFile } from "./config-file.js";
import { ConfigHeader, FeaturesHeader, PolicyHeader } from "./headers.js";
import { SCHEMA_FILES } from "./schema-files.js";
import { TestFile } from "./test-file.js";

/** Every exported schema's `$id` starts with it (`schema -o` recognises its files by it). */
export const SCHEMA_ID_BASE = "https://sequrity.ai/schemas/sequrity-config/";

export { SCHEMA_FILES };

function exportSchema(schema: z.ZodType, file: string): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12", reused: "inline", unrepresentable: "throw" }) as Record<string, unknown>;
  const { $schema, ...rest } = json;
  return { $schema, $id: SCHEMA_ID_BASE + file, ...rest };
}

/** File name → schema object, in a fixed order. */
export function buildJsonSchemas(): Record<string, Record<string, unknown>> {
  return {
    [SCHEMA_FILES.features]: exportSchema(FeaturesHeader, SCHEMA_FILES.features),
    [SCHEMA_FILES.policy]: exportSchema(PolicyHeader, SCHEMA_FILES.policy),
    [SCHEMA_FILES.config]: exportSchema(ConfigHeader, SCHEMA_FILES.config),
    [SCHEMA_FILES.file]: exportSchema(ConfigFile, SCHEMA_FILES.file),
    [SCHEMA_FILES.test]: exportSchema(TestFile, SCHEMA_FILES.test),
  };
}

/** The bytes written for a schema: stable, 2-space JSON with a final newline. */
export function renderJsonSchema(schema: unknown): string {
  return JSON.stringify(schema, null, 2) + "\n";
}
