// The checked-in JSON Schemas are generated from the zod models; this fails when they drift.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildJsonSchemas, renderJsonSchema } from "../../src/schema/json-schema.js";

const dir = path.resolve(__dirname, "../../schemas");

describe("schemas/", () => {
  for (const [name, schema] of Object.entries(buildJsonSchemas())) {
    it(`${name} is up to date (run \`npm run schemas\` after changing src/schema)`, () => {
      expect(readFileSync(path.join(dir, name), "utf8")).toBe(renderJsonSchema(schema));
    });
  }

  it("describes defaults, minimums and closed objects as wire-format.md says", () => {
    const config = buildJsonSchemas()["x-config.schema.json"] as { $defs: Record<string, { properties: Record<string, Record<string, unknown>>; additionalProperties: boolean }> };
    expect(config.$defs.FsmConfig?.properties.max_n_turns).toMatchObject({ type: "integer", minimum: 1 });
    expect(config.$defs.FsmConfig?.properties.min_num_tools_for_filtering).toMatchObject({ type: "integer", minimum: 2 });
    expect(config.$defs.Reasoning?.properties.enabled).toMatchObject({ type: "boolean", default: true });
    expect(config.$defs.FsmConfig?.additionalProperties).toBe(false);
  });
});
