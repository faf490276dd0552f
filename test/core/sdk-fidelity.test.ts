// Agreement with the Python SDK (sequrity.control.types.headers) where it is easy to get wrong.
// `$preset: NAME` stands for the SDK builder's serialized result. The expected strings are what
// `<Header>.<builder>().dump_for_headers()` returns in the Python SDK (sequrity.control.types.headers),
// read off the builders' code: the policy builders pass every `presets` field, so none of an
// earlier layer's `presets` values survive them.
import { describe, expect, it } from "vitest";
import { buildJsonSchemas } from "../../src/schema/json-schema.js";
import { compileYaml, headersOf } from "../helpers.js";

const SDK = {
  "FeaturesHeader.single_llm()": '{"agent_arch": "single-llm"}',
  "FeaturesHeader.dual_llm()": '{"agent_arch": "dual-llm"}',
  "SecurityPolicyHeader.dual_llm()":
    '{"mode": "standard", "codes": {"code": "", "language": "sqrt"}, "auto_gen": false, "presets": {"default_allow": true, "default_allow_enforcement_level": "soft", "enable_non_executable_memory": true, "branching_meta_policy": {"mode": "deny", "producers": [], "tags": [], "consumers": []}, "enable_llm_blocked_tag": true, "llm_blocked_tag_enforcement_level": "hard"}}',
  "SecurityPolicyHeader.single_llm()":
    '{"mode": "standard", "codes": {"code": "", "language": "sqrt"}, "auto_gen": false, "presets": {"default_allow": true, "default_allow_enforcement_level": "soft", "enable_non_executable_memory": false, "branching_meta_policy": {"mode": "deny", "producers": [], "tags": [], "consumers": []}, "enable_llm_blocked_tag": true, "llm_blocked_tag_enforcement_level": "hard"}}',
  "FineGrainedConfigHeader.single_llm()": '{"fsm": {"min_num_tools_for_filtering": 10, "clear_session_meta": "never", "max_n_turns": 50}}',
  "FineGrainedConfigHeader.dual_llm()": '{"fsm": {"min_num_tools_for_filtering": 10, "clear_session_meta": "never", "max_n_turns": 5, "disable_rllm": true}}',
};

async function presetHeaders(preset: "single-llm" | "dual-llm", defaults = ""): Promise<Record<string, string>> {
  const yaml = `version: 1\n${defaults}environments:\n  prod:\n    features: {$preset: ${preset}}\n    policy: {$preset: ${preset}}\n    config: {$preset: ${preset}}\n`;
  return headersOf(await compileYaml(yaml), "prod");
}

// Every field the SDK's presets model has, set away from the builders' values.
const HOSTILE_POLICY_DEFAULTS = `defaults:
  policy:
    mode: strict
    codes: {code: 'let a = {"x"};', language: sqrt}
    auto_gen: true
    presets:
      default_allow: false
      default_allow_enforcement_level: hard
      enable_non_executable_memory: false
      branching_meta_policy: {mode: allow, producers: [p], tags: [t], consumers: [c]}
      enable_llm_blocked_tag: false
      llm_blocked_tag_enforcement_level: soft
`;

describe("$preset gives the SDK builder's exact header", () => {
  it("single-llm alone: FeaturesHeader / SecurityPolicyHeader / FineGrainedConfigHeader .single_llm()", async () => {
    expect(await presetHeaders("single-llm")).toEqual({
      "X-Features": SDK["FeaturesHeader.single_llm()"],
      "X-Policy": SDK["SecurityPolicyHeader.single_llm()"],
      "X-Config": SDK["FineGrainedConfigHeader.single_llm()"],
    });
  });

  it("dual-llm alone: FeaturesHeader / SecurityPolicyHeader / FineGrainedConfigHeader .dual_llm()", async () => {
    expect(await presetHeaders("dual-llm")).toEqual({
      "X-Features": SDK["FeaturesHeader.dual_llm()"],
      "X-Policy": SDK["SecurityPolicyHeader.dual_llm()"],
      "X-Config": SDK["FineGrainedConfigHeader.dual_llm()"],
    });
  });

  it("policy dual-llm sets every presets field, so an earlier default_allow: false does not survive it", async () => {
    const h = await presetHeaders("dual-llm", "defaults: {policy: {presets: {default_allow: false}}}\n");
    expect(h["X-Policy"]).toBe(SDK["SecurityPolicyHeader.dual_llm()"]);
  });

  it("policy dual-llm and single-llm override every presets field an earlier layer set", async () => {
    expect((await presetHeaders("dual-llm", HOSTILE_POLICY_DEFAULTS))["X-Policy"]).toBe(SDK["SecurityPolicyHeader.dual_llm()"]);
    // single_llm() leaves default_allow_enforcement_level and branching_meta_policy to the model's
    // defaults, which its result still carries: they are set too.
    expect((await presetHeaders("single-llm", HOSTILE_POLICY_DEFAULTS))["X-Policy"]).toBe(SDK["SecurityPolicyHeader.single_llm()"]);
  });

  it("fields a builder leaves at None (fail_fast; fsm fields other than its own) keep the earlier layers' values", async () => {
    const defaults = "defaults:\n  policy: {fail_fast: true}\n  config: {fsm: {max_pllm_steps: 4, max_n_turns: 9}}\n";
    const h = await presetHeaders("dual-llm", defaults);
    expect(h["X-Policy"]).toBe(SDK["SecurityPolicyHeader.dual_llm()"].replace('"auto_gen": false, ', '"auto_gen": false, "fail_fast": true, '));
    expect(h["X-Config"]).toBe(
      '{"fsm": {"min_num_tools_for_filtering": 10, "clear_session_meta": "never", "max_n_turns": 5, "disable_rllm": true, "max_pllm_steps": 4}}',
    );
  });

  it("the same mapping's keys merge over the preset, like the builder's arguments", async () => {
    // SecurityPolicyHeader.dual_llm(default_allow=False, branching_meta_policy_tags={"b", "a"})
    const yaml = `version: 1
environments:
  prod:
    policy:
      $preset: dual-llm
      presets: {default_allow: false, branching_meta_policy: {tags: [b, a]}}
`;
    expect(headersOf(await compileYaml(yaml), "prod")["X-Policy"]).toBe(
      '{"mode": "standard", "codes": {"code": "", "language": "sqrt"}, "auto_gen": false, "presets": {"default_allow": false, "default_allow_enforcement_level": "soft", "enable_non_executable_memory": true, "branching_meta_policy": {"mode": "deny", "producers": [], "tags": ["a", "b"], "consumers": []}, "enable_llm_blocked_tag": true, "llm_blocked_tag_enforcement_level": "hard"}}',
    );
  });
});

describe("optional SDK fields accept null as absent", () => {
  it("mode: null inside a content_classifiers item is accepted and sent as absent (TaggerConfig.mode is `str | None`)", async () => {
    // FeaturesHeader(content_classifiers=[TaggerConfig(name="pii_redaction", mode=None)]).dump_for_headers()
    const yaml =
      "version: 1\nenvironments:\n  prod:\n    features:\n      content_classifiers: [{name: pii_redaction, mode: null}, {name: toxicity_filter, mode: strict}]\n";
    expect(headersOf(await compileYaml(yaml), "prod")["X-Features"]).toBe(
      '{"content_classifiers": [{"name": "pii_redaction", "threshold": 0.5}, {"name": "toxicity_filter", "threshold": 0.5, "mode": "strict"}]}',
    );
  });

  it("the X-Features schema allows null for mode, like the SDK model", () => {
    const schema = buildJsonSchemas()["x-features.schema.json"] as { $defs: { ContentClassifier: { properties: { mode: { type: unknown } } } } };
    expect(schema.$defs.ContentClassifier.properties.mode.type).toEqual(["string", "null"]);
  });
});
