// One test per merge rule of product.md, each with the exact header it must give.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { compileYaml, errorLines, headersOf, tempProject } from "../helpers.js";

async function headers(yaml: string, env = "prod", extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return headersOf(await compileYaml(`version: 1\n${yaml}`, extra), env);
}

describe("layers", () => {
  it("linearizes extends depth-first, parents first, each block once (defaults, a, b, c)", async () => {
    const yaml = `
defaults:
  policy: {codes: {code: "// defaults"}}
environments:
  a:
    policy: {codes: {code: {$append: "// a"}}}
  b:
    extends: a
    policy: {codes: {code: {$append: "// b"}}}
  c:
    extends: [b, a]
    policy: {codes: {code: {$append: "// c"}}}
`;
    expect((await headers(yaml, "c"))["X-Policy"]).toBe('{"codes": {"code": "// defaults\\n// a\\n// b\\n// c", "language": "sqrt"}}');
  });

  it("a section absent from every layer gives no header", async () => {
    const h = await headers("environments:\n  prod:\n    features: {agent_arch: dual-llm}\n");
    expect(Object.keys(h)).toEqual(["X-Features"]);
  });
});

describe("merge rules", () => {
  it("1. mappings merge key by key, recursively; earlier keys keep their place", async () => {
    const yaml = `
defaults:
  config:
    llm: {pllm: {logit_bias: {"50256": -100, "13": 5}, temperature: 0.5}}
environments:
  prod:
    config:
      llm: {pllm: {logit_bias: {"abc": 1, "50256": -1}, seed: 3}}
`;
    expect((await headers(yaml))["X-Config"]).toBe('{"llm": {"pllm": {"logit_bias": {"50256": -1, "13": 5, "abc": 1}, "seed": 3, "temperature": 0.5}}}');
  });

  it("2. sequences and scalars are replaced, not merged", async () => {
    const yaml = `
defaults:
  features:
    agent_arch: single-llm
    content_blockers: [{name: url_blocker}, {name: file_blocker}]
environments:
  prod:
    features:
      agent_arch: dual-llm
      content_blockers: [{name: file_blocker}]
`;
    expect((await headers(yaml))["X-Features"]).toBe('{"agent_arch": "dual-llm", "content_blockers": [{"name": "file_blocker"}]}');
  });

  it("3. null deletes a key, and a whole section", async () => {
    const yaml = `
defaults:
  features: {agent_arch: dual-llm}
  config: {fsm: {max_n_turns: 3, disable_rllm: true}}
environments:
  prod:
    features: null
    config: {fsm: {disable_rllm: null}}
`;
    expect(await headers(yaml)).toEqual({ "X-Config": '{"fsm": {"max_n_turns": 3}}' });
  });

  it("4a. $append and $prepend add to a sequence", async () => {
    const yaml = `
defaults:
  config: {fsm: {force_to_cache: ["b"]}}
environments:
  prod:
    config: {fsm: {force_to_cache: {$append: ["c", "d"]}}}
  dev:
    config: {fsm: {force_to_cache: {$prepend: ["a"]}}}
`;
    const result = await compileYaml(`version: 1\n${yaml}`);
    expect(headersOf(result, "prod")["X-Config"]).toBe('{"fsm": {"force_to_cache": ["b", "c", "d"]}}');
    expect(headersOf(result, "dev")["X-Config"]).toBe('{"fsm": {"force_to_cache": ["a", "b"]}}');
  });

  it("4b. $remove drops equal items, and a bare name removes a named item", async () => {
    const yaml = `
defaults:
  features:
    content_classifiers: [{name: toxicity_filter}, {name: pii_redaction, threshold: 0.9}]
  config: {fsm: {enabled_internal_tools: [parse_with_ai, set_policy, complete_turn]}}
environments:
  prod:
    features: {content_classifiers: {$remove: [toxicity_filter]}}
    config: {fsm: {enabled_internal_tools: {$remove: [set_policy, verify_hypothesis]}}}
`;
    expect(await headers(yaml)).toEqual({
      "X-Features": '{"content_classifiers": [{"name": "pii_redaction", "threshold": 0.9}]}',
      "X-Config": '{"fsm": {"enabled_internal_tools": ["parse_with_ai", "complete_turn"]}}',
    });
  });

  it("4c. $merge upserts named items in place, or appends them", async () => {
    const yaml = `
defaults:
  features:
    content_classifiers: [{name: toxicity_filter, threshold: 0.2}, {name: pii_redaction}]
environments:
  prod:
    features:
      content_classifiers:
        $merge: [{name: toxicity_filter, mode: strict}, {name: finance_topic_guardrail}]
`;
    expect((await headers(yaml))["X-Features"]).toBe(
      '{"content_classifiers": [{"name": "toxicity_filter", "threshold": 0.2, "mode": "strict"}, {"name": "pii_redaction", "threshold": 0.5}, {"name": "finance_topic_guardrail", "threshold": 0.5}]}',
    );
  });

  it("4d. $replace sets a mapping without merging", async () => {
    const yaml = `
defaults:
  config: {fsm: {max_n_turns: 3, disable_rllm: true}}
environments:
  prod:
    config: {fsm: {$replace: {max_pllm_steps: 2}}}
`;
    expect((await headers(yaml))["X-Config"]).toBe('{"fsm": {"max_pllm_steps": 2}}');
  });

  it("4e. on strings, $append gives S + newline + T and $prepend T + newline + S", async () => {
    const yaml = `
defaults:
  policy: {codes: {code: "let a = {};"}}
environments:
  prod:
    policy: {codes: {code: {$append: "let b = {};"}}}
  dev:
    policy: {codes: {code: {$prepend: "let z = {};"}}}
`;
    const result = await compileYaml(`version: 1\n${yaml}`);
    expect(headersOf(result, "prod")["X-Policy"]).toBe('{"codes": {"code": "let a = {};\\nlet b = {};", "language": "sqrt"}}');
    expect(headersOf(result, "dev")["X-Policy"]).toBe('{"codes": {"code": "let z = {};\\nlet a = {};", "language": "sqrt"}}');
  });

  it("5. a directive applied to nothing starts from empty (a string: just T)", async () => {
    const yaml = `
environments:
  prod:
    policy: {codes: {code: {$append: "let b = {};"}}}
    config: {fsm: {force_to_cache: {$prepend: ["x"]}, enabled_internal_tools: {$remove: [set_policy]}}}
`;
    expect(await headers(yaml)).toEqual({
      "X-Policy": '{"codes": {"code": "let b = {};", "language": "sqrt"}}',
      "X-Config": '{"fsm": {"enabled_internal_tools": [], "force_to_cache": ["x"]}}',
    });
  });

  it("5. a directive applied to the wrong kind of value is an error", async () => {
    const yaml = `
environments:
  base:
    config: {fsm: {force_to_cache: "not-a-list"}}
  prod:
    extends: base
    config: {fsm: {force_to_cache: {$append: ["x"]}}}
`;
    const result = await compileYaml(`version: 1\n${yaml}`);
    expect(errorLines(result)).toEqual([
      'sequrity.config.yaml:5:36: error: environments.base.config.fsm.force_to_cache: expected a list, got the string "not-a-list" (environments base, prod)',
    ]);
  });

  it("keys starting with $ never reach a header: $preset expands, the section's keys merge over it", async () => {
    const yaml = `
environments:
  prod:
    features: {$preset: dual-llm}
    policy: {$preset: single-llm, mode: strict}
    config: {$preset: dual-llm, fsm: {max_n_turns: 8}}
`;
    expect(await headers(yaml)).toEqual({
      "X-Features": '{"agent_arch": "dual-llm"}',
      "X-Policy":
        '{"mode": "strict", "codes": {"code": "", "language": "sqrt"}, "auto_gen": false, "presets": {"default_allow": true, "default_allow_enforcement_level": "soft", "enable_non_executable_memory": false, "branching_meta_policy": {"mode": "deny", "producers": [], "tags": [], "consumers": []}, "enable_llm_blocked_tag": true, "llm_blocked_tag_enforcement_level": "hard"}}',
      "X-Config": '{"fsm": {"min_num_tools_for_filtering": 10, "clear_session_meta": "never", "max_n_turns": 8, "disable_rllm": true}}',
    });
  });

  it("$preset expands within its layer: null in the same mapping deletes a preset field, and a later preset wins", async () => {
    const yaml = `
defaults:
  config: {fsm: {max_n_turns: 3}}
environments:
  prod:
    config: {$preset: dual-llm, fsm: {disable_rllm: null}}
`;
    expect((await headers(yaml))["X-Config"]).toBe('{"fsm": {"min_num_tools_for_filtering": 10, "clear_session_meta": "never", "max_n_turns": 5}}');
  });

  it("$overrides merge raw across layers like the SDK's overrides (null is a value there); $overrides: null drops them", async () => {
    const yaml = `
defaults:
  policy: {mode: standard, $overrides: {mode: null, extra: {a: 1}}}
environments:
  prod:
    policy: {$overrides: {extra: {b: 2}}}
  dev:
    policy: {$overrides: null}
`;
    const result = await compileYaml(`version: 1\n${yaml}`);
    expect(headersOf(result, "prod")["X-Policy"]).toBe('{"mode": null, "extra": {"a": 1, "b": 2}}');
    expect(headersOf(result, "dev")["X-Policy"]).toBe('{"mode": "standard"}');
  });

  it("a whole section can be $replace'd, its policy files read like any layer's", async () => {
    const yaml = `
defaults:
  policy: {mode: strict, fail_fast: true}
environments:
  prod:
    policy: {$replace: {mode: standard, codes: {file: p.sqrt}, $overrides: {x: 1}}}
`;
    expect((await headers(yaml, "prod", { "p.sqrt": "let a = {};" }))["X-Policy"]).toBe(
      '{"mode": "standard", "codes": {"code": "let a = {};", "language": "sqrt"}, "x": 1}',
    );
  });

  it("$overrides deep-merge into the serialized header, unvalidated, new keys last", async () => {
    const yaml = `
defaults:
  config:
    fsm: {max_n_turns: 2}
    $overrides: {fsm: {experimental: 1.0}, beta: [1, 2.5]}
environments:
  prod:
    config: {$overrides: {fsm: {max_n_turns: 9}}}
`;
    expect((await headers(yaml))["X-Config"]).toBe('{"fsm": {"max_n_turns": 9, "experimental": 1.0}, "beta": [1, 2.5]}');
  });

  it("codes.file and codes.files are read relative to the config and joined with a newline, as read", async () => {
    const yaml = `
defaults:
  policy: {codes: {files: [policies/a.sqrt, policies/b.sqrt]}}
environments:
  prod:
    policy: {codes: {code: {$append: "let c = {};"}}}
`;
    const h = await headers(yaml, "prod", { "policies/a.sqrt": "let a = {};\n", "policies/b.sqrt": "let b = {};" });
    expect(h["X-Policy"]).toBe('{"codes": {"code": "let a = {};\\n\\nlet b = {};\\nlet c = {};", "language": "sqrt"}}');
  });
});

describe("deep extends chains", () => {
  it("a 12,000-deep chain merges without exhausting the call stack, each block once", async () => {
    // A JS config: the depth is the point, and parsing 12,000 lines of YAML would take most of the time.
    const environments: Record<string, unknown> = { e0: { features: { agent_arch: "dual-llm" } } };
    for (let i = 1; i < 12_000; i++) environments[`e${i}`] = { extends: `e${i - 1}`, config: { fsm: { max_n_turns: i } } };
    const dir = tempProject({ "sequrity.config.mjs": `export default ${JSON.stringify({ version: 1, environments })};\n` });
    const result = await compile({ cwd: dir, configPath: "sequrity.config.mjs", environments: ["e11999"] });
    expect(errorLines(result)).toEqual([]);
    const env = result.compiled?.environments[0];
    expect(env?.headers).toEqual({ "X-Features": '{"agent_arch": "dual-llm"}', "X-Config": '{"fsm": {"max_n_turns": 11999}}' });
    expect(env?.layers?.length).toBe(12_000);
  });
});
