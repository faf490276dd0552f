// One test per row of security-review.md's tables, through the engine: two versions of one environment.
import { describe, expect, it } from "vitest";
import { FIELD_ROWS, RULE_ROWS, classifyVerdict } from "../../src/review/classes.js";
import { testChanges } from "../../src/review/review.js";
import { classes, ruleClasses } from "./support.js";

const presets = (p: string) => `{policy: {presets: ${p}}}`;
const fsm = (f: string) => `{config: {fsm: ${f}}}`;

describe("field classes (one test per row of the field table)", { timeout: 60_000 }, () => {
  it("the table has one entry per row of the spec, $overrides first and any other field last", () => {
    expect(FIELD_ROWS.map((r) => r.field)).toEqual([
      "$overrides anything",
      "features.agent_arch",
      "features.content_classifiers",
      "features.content_blockers",
      "policy.mode",
      "policy.codes",
      "policy.auto_gen",
      "policy.fail_fast",
      "policy.presets.default_allow",
      "policy.presets.default_allow_enforcement_level",
      "policy.presets.enable_non_executable_memory",
      "policy.presets.branching_meta_policy",
      "policy.presets.enable_llm_blocked_tag",
      "policy.presets.llm_blocked_tag_enforcement_level",
      "config.fsm.clear_session_meta",
      "config.fsm.enabled_internal_tools",
      "config.fsm.retry_on_policy_violation",
      "config.response_format.include_program, include_policy_check_history, include_namespace_snapshot",
      "any other field",
    ]);
  });

  it("features.agent_arch: dual-llm → single-llm weakens, the reverse tightens", async () => {
    expect(await classes("{features: {agent_arch: dual-llm}}", "{features: {agent_arch: single-llm}}")).toEqual(["features.agent_arch: weakening"]);
    expect(await classes("{features: {agent_arch: single-llm}}", "{features: {agent_arch: dual-llm}}")).toEqual(["features.agent_arch: tightening"]);
  });

  it("features.content_classifiers: removed or threshold raised weakens; added or lowered tightens; mode needs review", async () => {
    const c = (items: string) => `{features: {agent_arch: dual-llm, content_classifiers: [${items}]}}`;
    expect(await classes(c("{name: pii_redaction}, {name: toxicity_filter}"), c("{name: toxicity_filter}"))).toEqual([
      "features.content_classifiers.pii_redaction: weakening",
    ]);
    expect(await classes(c("{name: toxicity_filter}"), c("{name: toxicity_filter}, {name: pii_redaction}"))).toEqual([
      "features.content_classifiers.pii_redaction: tightening",
    ]);
    expect(await classes(c("{name: pii_redaction, threshold: 0.5}"), c("{name: pii_redaction, threshold: 0.9}"))).toEqual([
      "features.content_classifiers.pii_redaction.threshold: weakening",
    ]);
    expect(await classes(c("{name: pii_redaction, threshold: 0.5}"), c("{name: pii_redaction, threshold: 0.2}"))).toEqual([
      "features.content_classifiers.pii_redaction.threshold: tightening",
    ]);
    expect(await classes(c("{name: pii_redaction}"), c("{name: pii_redaction, mode: strict}"))).toEqual([
      "features.content_classifiers.pii_redaction.mode: review",
    ]);
    // Order is not a change: items are matched by name.
    expect(await classes(c("{name: pii_redaction}, {name: toxicity_filter}"), c("{name: toxicity_filter}, {name: pii_redaction}"))).toEqual([]);
  });

  it("features.content_blockers: a blocker removed weakens, one added tightens", async () => {
    const b = (items: string) => `{features: {content_blockers: [${items}]}}`;
    expect(await classes(b("{name: url_blocker}, {name: file_blocker}"), b("{name: file_blocker}"))).toEqual([
      "features.content_blockers.url_blocker: weakening",
    ]);
    expect(await classes(b("{name: file_blocker}"), b("{name: file_blocker}, {name: url_blocker}"))).toEqual([
      "features.content_blockers.url_blocker: tightening",
    ]);
  });

  it("policy.mode: strict → standard or custom weakens, → strict tightens, standard ↔ custom needs review", async () => {
    const m = (v: string) => `{policy: {mode: ${v}}}`;
    expect(await classes(m("strict"), m("standard"))).toEqual(["policy.mode: weakening"]);
    expect(await classes(m("strict"), m("custom"))).toEqual(["policy.mode: weakening"]);
    expect(await classes(m("custom"), m("strict"))).toEqual(["policy.mode: tightening"]);
    expect(await classes(m("standard"), m("custom"))).toEqual(["policy.mode: review"]);
  });

  it("policy.codes: a language change needs review, and Cedar code is compared as a whole", async () => {
    const cedar = "permit(principal, action, resource);";
    expect(await classes(`{policy: {codes: {code: ""}}}`, `{policy: {codes: {language: cedar, code: "${cedar}"}}}`)).toEqual([
      "policy.codes.language: review",
      "policy.codes.code: review",
    ]);
    expect(
      await classes(
        `{policy: {codes: {language: cedar, code: "${cedar}"}}}`,
        `{policy: {codes: {language: cedar, code: "forbid(principal, action, resource);"}}}`,
      ),
    ).toEqual(["policy.codes.code: review"]);
  });

  it("policy.auto_gen: any change needs review", async () => {
    expect(await classes("{policy: {auto_gen: false}}", "{policy: {auto_gen: true}}")).toEqual(["policy.auto_gen: review"]);
    expect(await classes("{policy: {auto_gen: true}}", "{policy: {auto_gen: false}}")).toEqual(["policy.auto_gen: review"]);
  });

  it("policy.fail_fast: true → false weakens, false → true tightens", async () => {
    expect(await classes("{policy: {fail_fast: true}}", "{policy: {fail_fast: false}}")).toEqual(["policy.fail_fast: weakening"]);
    expect(await classes("{policy: {fail_fast: false}}", "{policy: {fail_fast: true}}")).toEqual(["policy.fail_fast: tightening"]);
  });

  it("policy.presets.default_allow: false → true weakens, true → false tightens", async () => {
    expect(await classes(presets("{default_allow: false}"), presets("{default_allow: true}"))).toEqual(["policy.presets.default_allow: weakening"]);
    expect(await classes(presets("{default_allow: true}"), presets("{default_allow: false}"))).toEqual(["policy.presets.default_allow: tightening"]);
  });

  it("policy.presets.default_allow_enforcement_level: soft → hard weakens while default_allow is true, is neutral while it is false", async () => {
    const p = (allow: boolean, level: string) => presets(`{default_allow: ${allow}, default_allow_enforcement_level: ${level}}`);
    expect(await classes(p(true, "soft"), p(true, "hard"))).toEqual(["policy.presets.default_allow_enforcement_level: weakening"]);
    expect(await classes(p(true, "hard"), p(true, "soft"))).toEqual(["policy.presets.default_allow_enforcement_level: tightening"]);
    expect(await classes(p(false, "soft"), p(false, "hard"))).toEqual(["policy.presets.default_allow_enforcement_level: neutral"]);
  });

  it("policy.presets.enable_non_executable_memory: true → false weakens, false → true tightens", async () => {
    expect(await classes(presets("{enable_non_executable_memory: true}"), presets("{enable_non_executable_memory: false}"))).toEqual([
      "policy.presets.enable_non_executable_memory: weakening",
    ]);
    expect(await classes(presets("{enable_non_executable_memory: false}"), presets("{enable_non_executable_memory: true}"))).toEqual([
      "policy.presets.enable_non_executable_memory: tightening",
    ]);
  });

  it("policy.presets.branching_meta_policy: in mode deny a name removed weakens and one added tightens; deny ↔ allow; lists in mode allow need review", async () => {
    const b = (mode: string, tags: string) => presets(`{branching_meta_policy: {mode: ${mode}, tags: [${tags}]}}`);
    expect(await classes(b("deny", "a, b"), b("deny", "a"))).toEqual(["policy.presets.branching_meta_policy.tags: weakening"]);
    expect(await classes(b("deny", "a"), b("deny", "a, b"))).toEqual(["policy.presets.branching_meta_policy.tags: tightening"]);
    expect(await classes(b("deny", "a"), b("allow", "a"))).toEqual(["policy.presets.branching_meta_policy.mode: weakening"]);
    expect(await classes(b("allow", "a"), b("deny", "a"))).toEqual(["policy.presets.branching_meta_policy.mode: tightening"]);
    expect(await classes(b("allow", "a"), b("allow", "a, b"))).toEqual(["policy.presets.branching_meta_policy.tags: review"]);
    // A set: order and duplicates are not changes.
    expect(await classes(b("deny", "b, a"), b("deny", "a, b, a"))).toEqual([]);
  });

  it("policy.presets.enable_llm_blocked_tag: true → false weakens, false → true tightens", async () => {
    expect(await classes(presets("{enable_llm_blocked_tag: true}"), presets("{enable_llm_blocked_tag: false}"))).toEqual([
      "policy.presets.enable_llm_blocked_tag: weakening",
    ]);
    expect(await classes(presets("{enable_llm_blocked_tag: false}"), presets("{enable_llm_blocked_tag: true}"))).toEqual([
      "policy.presets.enable_llm_blocked_tag: tightening",
    ]);
  });

  it("policy.presets.llm_blocked_tag_enforcement_level: hard → soft weakens, soft → hard tightens", async () => {
    expect(await classes(presets("{llm_blocked_tag_enforcement_level: hard}"), presets("{llm_blocked_tag_enforcement_level: soft}"))).toEqual([
      "policy.presets.llm_blocked_tag_enforcement_level: weakening",
    ]);
    expect(await classes(presets("{llm_blocked_tag_enforcement_level: soft}"), presets("{llm_blocked_tag_enforcement_level: hard}"))).toEqual([
      "policy.presets.llm_blocked_tag_enforcement_level: tightening",
    ]);
  });

  it("config.fsm.clear_session_meta: any change needs review", async () => {
    expect(await classes(fsm("{clear_session_meta: every_turn}"), fsm("{clear_session_meta: never}"))).toEqual(["config.fsm.clear_session_meta: review"]);
  });

  it("config.fsm.enabled_internal_tools: any change needs review", async () => {
    expect(await classes(fsm("{enabled_internal_tools: [parse_with_ai]}"), fsm("{enabled_internal_tools: [parse_with_ai, set_policy]}"))).toEqual([
      "config.fsm.enabled_internal_tools: review",
    ]);
  });

  it("config.fsm.retry_on_policy_violation: any change needs review", async () => {
    expect(await classes(fsm("{retry_on_policy_violation: false}"), fsm("{retry_on_policy_violation: true}"))).toEqual([
      "config.fsm.retry_on_policy_violation: review",
    ]);
  });

  it("config.response_format.include_*: false or absent → true weakens (internals exposed), true → false tightens", async () => {
    const rf = (f: string) => `{config: {fsm: {max_n_turns: 3}, response_format: ${f}}}`;
    expect(await classes(rf("{include_program: false}"), rf("{include_program: true}"))).toEqual(["config.response_format.include_program: weakening"]);
    expect(await classes(rf("{stream_thoughts: true}"), rf("{stream_thoughts: true, include_policy_check_history: true}"))).toEqual([
      "config.response_format.include_policy_check_history: weakening",
    ]);
    expect(await classes(rf("{include_namespace_snapshot: true}"), rf("{include_namespace_snapshot: false}"))).toEqual([
      "config.response_format.include_namespace_snapshot: tightening",
    ]);
  });

  it("$overrides: a field an override writes needs review, whatever its row says", async () => {
    expect(await classes("{features: {agent_arch: dual-llm}}", "{features: {agent_arch: dual-llm, $overrides: {agent_arch: single-llm}}}")).toEqual([
      "features.agent_arch: review",
    ]);
    expect(await classes("{features: {agent_arch: dual-llm}}", "{features: {agent_arch: dual-llm, $overrides: {future_flag: 1}}}")).toEqual([
      "features.future_flag: review",
    ]);
  });

  it("any other field is neutral, but never when it disappears from the header", async () => {
    expect(await classes(fsm("{max_n_turns: 5}"), fsm("{max_n_turns: 9}"))).toEqual(["config.fsm.max_n_turns: neutral"]);
    expect(await classes(fsm("{max_n_turns: 5, max_pllm_steps: 3}"), fsm("{max_n_turns: 5}"))).toEqual(["config.fsm.max_pllm_steps: review"]);
  });

  it("a classified field that disappears needs review (the service falls back to the API key's settings)", async () => {
    expect(await classes("{policy: {fail_fast: true, mode: strict}}", "{policy: {mode: strict}}")).toEqual(["policy.fail_fast: review"]);
    // A whole header gone: every field in it disappears; a classifier that was sent is removed.
    expect(
      await classes(
        "{features: {agent_arch: dual-llm, content_classifiers: [{name: pii_redaction}]}, config: {fsm: {max_n_turns: 2}}}",
        "{config: {fsm: {max_n_turns: 2}}}",
      ),
    ).toEqual(["features.agent_arch: review", "features.content_classifiers.pii_redaction: weakening"]);
  });

  it("from absent, the tightest value tightens and the loosest weakens", async () => {
    expect(await classes("{policy: {mode: strict}}", "{policy: {mode: strict, fail_fast: true}}")).toEqual(["policy.fail_fast: tightening"]);
    expect(await classes("{policy: {mode: strict}}", "{policy: {mode: strict, fail_fast: false}}")).toEqual(["policy.fail_fast: weakening"]);
    // An empty list sent where none was drops whatever the API key had.
    expect(await classes("{features: {agent_arch: dual-llm}}", "{features: {agent_arch: dual-llm, content_classifiers: []}}")).toEqual([
      "features.content_classifiers: weakening",
    ]);
  });
});

describe("policy rule classes (one test per row of the rules table)", { timeout: 60_000 }, () => {
  const tool = (members: string) => `tool "send_email" { ${members} }`;

  it("the table has one entry per row of the spec", () => {
    expect(RULE_ROWS.map((r) => r.row)).toEqual([
      "a deny rule removed",
      "a deny rule's condition changed",
      "an allow rule's condition changed",
      "a deny rule added",
      "an allow rule added",
      "an allow rule removed",
      "hard → soft on a deny, soft → hard on an allow",
      "soft → hard on a deny, hard → soft on an allow",
      "a tool block's priority changed",
      "a result / session update added, removed or changed",
      "a let changed",
    ]);
  });

  it("a deny rule removed weakens", async () => {
    expect(await ruleClasses(tool('hard deny when a.tags overlaps {"x"}; hard allow always;'), tool("hard allow always;"))).toEqual([
      "send_email removed: weakening",
    ]);
  });

  it("a deny rule's condition changed needs review", async () => {
    expect(await ruleClasses(tool('hard deny when a.tags overlaps {"x"};'), tool('hard deny when a.tags overlaps {"y"};'))).toEqual([
      "send_email condition: review",
    ]);
  });

  it("an allow rule's condition changed needs review", async () => {
    expect(await ruleClasses(tool('soft allow when a.tags overlaps {"x"};'), tool('soft allow when a.tags overlaps {"y"};'))).toEqual([
      "send_email condition: review",
    ]);
  });

  it("a deny rule added tightens", async () => {
    expect(await ruleClasses(tool("hard allow always;"), tool('hard allow always; hard deny when a.tags overlaps {"x"};'))).toEqual([
      "send_email added: tightening",
    ]);
  });

  it("an allow rule added weakens", async () => {
    expect(await ruleClasses(tool('hard deny when a.tags overlaps {"x"};'), tool('hard deny when a.tags overlaps {"x"}; soft allow always;'))).toEqual([
      "send_email added: weakening",
    ]);
  });

  it("an allow rule removed tightens", async () => {
    expect(await ruleClasses(tool("soft allow always; hard deny always;"), tool("hard deny always;"))).toEqual(["send_email removed: tightening"]);
  });

  it("hard → soft on a deny and soft → hard on an allow weaken", async () => {
    expect(await ruleClasses(tool("hard deny always;"), tool("soft deny always;"))).toEqual(["send_email enforcement: weakening"]);
    expect(await ruleClasses(tool("soft allow always;"), tool("must allow always;"))).toEqual(["send_email enforcement: weakening"]);
  });

  it("soft → hard on a deny and hard → soft on an allow tighten", async () => {
    expect(await ruleClasses(tool("should deny always;"), tool("hard deny always;"))).toEqual(["send_email enforcement: tightening"]);
    expect(await ruleClasses(tool("hard allow always;"), tool("soft allow always;"))).toEqual(["send_email enforcement: tightening"]);
  });

  it("a tool block's priority changed needs review", async () => {
    expect(await ruleClasses(tool("priority 1; hard deny always;"), tool("priority 2; hard deny always;"))).toEqual(["send_email priority: review"]);
  });

  it("a result / session update added, removed or changed needs review", async () => {
    expect(await ruleClasses(tool('result { @tags |= {"a"}; }'), tool('result { @tags |= {"b"}; }'))).toEqual(["send_email update: review"]);
    expect(await ruleClasses(tool("hard deny always;"), tool("hard deny always; session before { @tags = {}; }"))).toEqual(["send_email update: review"]);
    expect(await ruleClasses('tool "get" -> @tags |= {"a"};', "")).toEqual(["get update: review"]);
  });

  it("a let changed needs review, and each rule that uses it (directly or through another let) is reported as changed", async () => {
    const code = (v: string) =>
      `let s = {${v}};\nlet t = s | {"z"};\ntool "a" { hard deny when x.tags overlaps t; }\ntool "b" { hard deny when x.tags overlaps {"q"}; }`;
    expect(await ruleClasses(code('"x"'), code('"y"'))).toEqual(["let s: review", "a condition: review"]);
  });

  it("comments, doc comments, block order, formatting and synonyms are not changes", async () => {
    const before = 'let s = {"a"};\ntool "a" { hard deny when x.tags overlaps s; }\ntool "b" { soft allow always; }';
    const after =
      '// rewritten\ntool "b" {\n    /// allowed\n    should allow always;\n}\n\ntool "a" {\n    must deny when (x.tags overlaps s); // the rule\n}\n/// the set\nlet s = {"a"};\n';
    expect(await ruleClasses(before, after)).toEqual([]);
  });
});

describe("rule pairing, in the spec's order", { timeout: 60_000 }, () => {
  it("pairs equal rules first, then equal outcome and condition (enforcement), then by position among that outcome's rules", async () => {
    const before = 'tool "t" { hard deny when a.tags overlaps {"1"}; hard deny when a.tags overlaps {"2"}; hard deny when a.tags overlaps {"3"}; }';
    // Rule 2 kept, rule 3 softened, rule 1's condition rewritten; a new allow.
    const after =
      'tool "t" { soft deny when a.tags overlaps {"3"}; hard deny when a.tags overlaps {"2"}; hard deny when a.tags overlaps {"9"}; soft allow always; }';
    expect(await ruleClasses(before, after)).toEqual(["t enforcement: weakening", "t condition: review", "t added: weakening"]);
  });

  it("pools a tool's rules over all its blocks and tells tool ids apart by kind (string or regex)", async () => {
    const before = 'tool "t" { hard deny when a.tags overlaps {"1"}; }\ntool r"t" { hard deny always; }';
    const after = 'tool r"t" { hard deny always; }\ntool "t" { priority 1; }\ntool "t" { hard deny when a.tags overlaps {"1"}; }';
    expect(await ruleClasses(before, after)).toEqual(["t priority: review"]);
  });
});

describe("policy test verdicts", { timeout: 60_000 }, () => {
  it("deny → allow weakens, allow → deny tightens, anything with undetermined needs review, no change is not listed", () => {
    expect(classifyVerdict("deny", "allow")).toBe("weakening");
    expect(classifyVerdict("allow", "deny")).toBe("tightening");
    expect(classifyVerdict("undetermined", "deny")).toBe("review");
    expect(classifyVerdict("allow", "undetermined")).toBe("review");
    expect(classifyVerdict("deny", "deny")).toBeUndefined();
  });

  it("become `kind: test` changes", () => {
    const tests = [
      { environment: "prod", case: "gmail blocked", file: "policies/email.test.yaml", before: "deny" as const, after: "allow" as const },
      { environment: "prod", case: "same", file: "policies/email.test.yaml", before: "allow" as const, after: "allow" as const },
    ];
    expect(testChanges(tests)).toEqual([
      { kind: "test", case: "gmail blocked", file: "policies/email.test.yaml", class: "weakening", before: "deny", after: "allow" },
    ]);
  });
});
