/** Validation sees only the keys a file wrote: names of Object.prototype members are keys like any other. */
import { describe, expect, it } from "vitest";
import { compileYaml, errorLines } from "../helpers.js";

describe("keys named like Object.prototype members", () => {
  it("are unknown keys where the schema does not name them, in the file as written and after merging", async () => {
    const yaml = [
      "version: 1",
      "defaults:",
      "  config: { fsm: { max_n_turns: 3 } }",
      "environments:",
      "  dev:",
      "    config: { constructor: 1, fsm: { toString: 2 } }",
      "  prod:",
      "    features: { agent_arch: dual-llm, content_classifiers: [ { name: pii_redaction, hasOwnProperty: 1 } ] }",
      "",
    ].join("\n");
    expect(errorLines(await compileYaml(yaml))).toEqual([
      'sequrity.config.yaml:6:15: error: unknown key "constructor" in environments.dev.config; known keys: fsm, prompt, response_format, llm, $preset, $overrides (environment dev)',
      'sequrity.config.yaml:6:38: error: unknown key "toString" in environments.dev.config.fsm (environment dev)',
      'sequrity.config.yaml:8:85: error: unknown key "hasOwnProperty" in environments.prod.features.content_classifiers[0]; known keys: name, threshold, mode (environment prod)',
    ]);
  });
});
