/** File names of the exported JSON Schemas in `schemas/`, by what they describe. */
export const SCHEMA_FILES = {
  features: "x-features.schema.json",
  policy: "x-policy.schema.json",
  config: "x-config.schema.json",
  file: "sequrity-config.schema.json",
} as const;
