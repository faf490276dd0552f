// Top-level `x-*` keys are ignored (product.md): a place for YAML anchors that environments share.
import { describe, expect, it } from "vitest";
import { compileYaml, errorLines, headersOf } from "../helpers.js";

describe("top-level x-* keys", () => {
  it("an anchor defined under x-common is used by two environments, and x-common itself reaches no header", async () => {
    const yaml = `version: 1
x-common:
  fsm: &fsm { max_n_turns: 4, disable_rllm: false }
  classifiers: &classifiers [ { name: pii_redaction, threshold: 0.9 } ]
environments:
  dev:
    config: { fsm: *fsm }
  prod:
    features: { content_classifiers: *classifiers }
    config: { fsm: *fsm, response_format: { include_program: false } }
`;
    const result = await compileYaml(yaml);
    expect(headersOf(result, "dev")).toEqual({ "X-Config": '{"fsm": {"max_n_turns": 4, "disable_rllm": false}}' });
    expect(headersOf(result, "prod")).toEqual({
      "X-Features": '{"content_classifiers": [{"name": "pii_redaction", "threshold": 0.9}]}',
      "X-Config": '{"fsm": {"max_n_turns": 4, "disable_rllm": false}, "response_format": {"include_program": false}}',
    });
  });

  it("what an x-* key holds is not validated", async () => {
    const yaml = "version: 1\nx-notes: { anything: [1, two, { $append: 3 }], agent_arch: 5 }\nx-: null\nenvironments:\n  dev: {}\n";
    expect(errorLines(await compileYaml(yaml))).toEqual([]);
  });

  it("other unknown top-level keys are still errors, and the message names the x-* escape", async () => {
    expect(errorLines(await compileYaml("version: 1\nx_common: 1\nenvironments:\n  dev: {}\n"))).toEqual([
      'sequrity.config.yaml:2:1: error: unknown key "x_common"; known keys: $schema, version, imports, defaults, environments, checks, tests, x-*',
    ]);
  });

  it("x-* keys are top-level only: inside an environment they are unknown keys", async () => {
    expect(errorLines(await compileYaml("version: 1\nenvironments:\n  dev:\n    x-note: 1\n"))).toEqual([
      'sequrity.config.yaml:4:5: error: unknown key "x-note" in environments.dev; known keys: extends, features, policy, config (environment dev)',
    ]);
  });
});
