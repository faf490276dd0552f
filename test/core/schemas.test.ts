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

  it("every property of every schema has a description, for editor hovers", () => {
    const missing: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (typeof node !== "object" || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if ((key === "properties" || key === "patternProperties") && typeof value === "object" && value !== null) {
          for (const [name, property] of Object.entries(value)) {
            const description = (property as { description?: unknown }).description;
            if (typeof description !== "string" || description.trim() === "") missing.push(`${at}/${key}/${name}`);
          }
        }
        walk(value, `${at}/${key}`);
      }
    };
    for (const [name, schema] of Object.entries(buildJsonSchemas())) walk(schema, name);
    expect(missing).toEqual([]);
  });

  it("field descriptions say the default", () => {
    const policy = buildJsonSchemas()["x-policy.schema.json"] as { $defs: Record<string, { properties: Record<string, { description: string }> }> };
    expect(policy.$defs.PolicyPresets?.properties.default_allow?.description).toBe(
      "Whether a tool call that no rule matches is allowed (true) or denied (false). Default: true.",
    );
  });

  it("describes defaults, minimums and closed objects as wire-format.md says", () => {
    const config = buildJsonSchemas()["x-config.schema.json"] as {
      $defs: Record<string, { properties: Record<string, Record<string, unknown>>; additionalProperties: boolean }>;
    };
    expect(config.$defs.FsmConfig?.properties.max_n_turns).toMatchObject({ type: "integer", minimum: 1 });
    expect(config.$defs.FsmConfig?.properties.min_num_tools_for_filtering).toMatchObject({ type: "integer", minimum: 2 });
    expect(config.$defs.Reasoning?.properties.enabled).toMatchObject({ type: "boolean", default: true });
    expect(config.$defs.FsmConfig?.additionalProperties).toBe(false);
  });
});
