// Every change is located where the after side wrote it, with explain's provenance; removed ones in the before side.
import { describe, expect, it } from "vitest";
import type { Change } from "../../src/review/model.js";
import { asJson, reviewOf } from "./support.js";

const changes = async (before: string, after: string, files: { before?: Record<string, string>; after?: Record<string, string> } = {}) => {
  const r = await reviewOf(before, after, files);
  return (r.environments.find((e) => e.name === "prod")?.changes ?? []) as Change[];
};

describe("review locations", { timeout: 60_000 }, () => {
  it("a value inherited through extends is located in the block that wrote it", async () => {
    const before = "version: 1\nenvironments:\n  base:\n    policy: {fail_fast: true}\n  prod:\n    extends: base\n";
    const after = "version: 1\nenvironments:\n  base:\n    policy: {fail_fast: false}\n  prod:\n    extends: base\n";
    expect((await changes(before, after)).map(asJson)).toEqual([
      {
        kind: "field",
        path: "policy.fail_fast",
        class: "weakening",
        before: true,
        after: false,
        location: { file: "sequrity.config.yaml", line: 4, column: 25 },
      },
    ]);
  });

  it("a field left to its default is located at the nearest entry that was written; a $preset's fields at the $preset", async () => {
    const before = "version: 1\nenvironments:\n  prod:\n    policy:\n      presets: {default_allow: false}\n    features: {$preset: dual-llm}\n";
    const after =
      "version: 1\nenvironments:\n  prod:\n    policy:\n      presets:\n        enable_llm_blocked_tag: true\n    features: {$preset: single-llm}\n";
    const located = (await changes(before, after)).map((c) => [c.kind === "field" ? c.path : "", c.location]);
    expect(located).toEqual([
      ["features.agent_arch", { file: "sequrity.config.yaml", line: 7, column: 25 }],
      ["policy.presets.default_allow", { file: "sequrity.config.yaml", line: 5, column: 7 }],
    ]);
  });

  it("a field written by $overrides is located at the override", async () => {
    const before = "version: 1\nenvironments:\n  prod: {policy: {mode: strict}}\n";
    const after = "version: 1\nenvironments:\n  prod:\n    policy:\n      mode: strict\n      $overrides: {mode: standard}\n";
    expect((await changes(before, after)).map(asJson)).toEqual([
      {
        kind: "field",
        path: "policy.mode",
        class: "review",
        before: "strict",
        after: "standard",
        location: { file: "sequrity.config.yaml", line: 6, column: 26 },
      },
    ]);
  });

  it("a removed field and a removed classifier point at the before side", async () => {
    const before =
      "version: 1\nenvironments:\n  prod:\n    features:\n      content_classifiers:\n        - {name: pii_redaction}\n    policy: {fail_fast: true, mode: strict}\n";
    const after = "version: 1\nenvironments:\n  prod:\n    policy: {mode: strict}\n";
    expect((await changes(before, after)).map(asJson)).toEqual([
      {
        kind: "field",
        path: "features.content_classifiers.pii_redaction",
        class: "weakening",
        before: { name: "pii_redaction", threshold: 0.5 },
        after: null,
        location: { side: "before", file: "sequrity.config.yaml", line: 6, column: 11 },
      },
      {
        kind: "field",
        path: "policy.fail_fast",
        class: "review",
        before: true,
        after: null,
        location: { side: "before", file: "sequrity.config.yaml", line: 7, column: 25 },
      },
    ]);
  });

  it("a rule appended by a child layer is located in that layer's YAML block; one from a policy file in the file", async () => {
    const before = "version: 1\ndefaults:\n  policy: {codes: {file: base.sqrt}}\nenvironments:\n  prod: {}\n";
    const after =
      'version: 1\ndefaults:\n  policy: {codes: {file: base.sqrt}}\nenvironments:\n  prod:\n    policy:\n      codes:\n        code:\n          $append: |\n            tool "b" {\n                hard deny always;\n            }\n';
    const files = { before: { "base.sqrt": 'tool "a" {\n    soft deny always;\n}\n' }, after: { "base.sqrt": 'tool "a" {\n    hard deny always;\n}\n' } };
    expect((await changes(before, after, files)).map((c) => [c.kind === "rule" ? `${c.tool} ${c.change}` : "", c.location])).toEqual([
      ["a enforcement", { file: "base.sqrt", line: 2, column: 5 }],
      ["b added", { file: "sequrity.config.yaml", line: 11, column: 17 }],
    ]);
  });

  it("a changed let is located at the let; the rules using it at themselves", async () => {
    const before = "version: 1\nenvironments:\n  prod: {policy: {codes: {file: p.sqrt}}}\n";
    const files = {
      before: { "p.sqrt": 'let s = {"a"};\ntool "t" {\n    /// why\n    hard deny when x.tags overlaps s;\n}\n' },
      after: { "p.sqrt": 'let s = {"b"};\ntool "t" {\n    /// why\n    hard deny when x.tags overlaps s;\n}\n' },
    };
    expect((await changes(before, before, files)).map(asJson)).toEqual([
      {
        kind: "rule",
        path: "policy.codes",
        name: "s",
        change: "let",
        class: "review",
        before: 'let s = {"a"}',
        after: 'let s = {"b"}',
        location: { file: "p.sqrt", line: 1, column: 1 },
      },
      {
        kind: "rule",
        path: "policy.codes",
        tool: "t",
        change: "condition",
        class: "review",
        before: "hard deny when x.tags overlaps s",
        after: "hard deny when x.tags overlaps s",
        uses: ["s"],
        location: { file: "p.sqrt", line: 4, column: 5 },
      },
    ]);
  });

  it("for annotations, a removed rule whose tool block remains is placed at the tool block; a removed field at the section", async () => {
    const before = "version: 1\nenvironments:\n  prod:\n    policy: {fail_fast: true, codes: {file: p.sqrt}}\n";
    const after = "version: 1\nenvironments:\n  prod:\n    policy: {codes: {file: p.sqrt}}\n";
    const files = {
      before: { "p.sqrt": 'tool "t" {\n    hard deny always;\n    soft deny when x.tags is empty;\n}\n' },
      after: { "p.sqrt": '// one rule left\n\n/// doc\ntool "t" {\n    hard deny always;\n}\n' },
    };
    expect((await changes(before, after, files)).map((c) => [c.kind, c.location, c.annotateAt])).toEqual([
      ["field", { side: "before", file: "sequrity.config.yaml", line: 4, column: 25 }, { file: "sequrity.config.yaml", line: 4, column: 13 }],
      ["rule", { side: "before", file: "p.sqrt", line: 3, column: 5 }, { file: "p.sqrt", line: 4, column: 1 }],
    ]);
  });
});
