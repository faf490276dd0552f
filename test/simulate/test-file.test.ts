// Test files are validated with located errors for every bad input policy-tests.md lists.
import { describe, expect, it } from "vitest";
import { formatDiagnostics } from "../../src/diagnostics/index.js";
import { runPolicyTests } from "../../src/simulate/index.js";
import { tempProject } from "../helpers.js";

const CONFIG = `version: 1
environments:
  dev: { features: { agent_arch: dual-llm } }
  prod: { features: { agent_arch: dual-llm } }
tests: [t.test.yaml]
`;

async function errors(testFile: string): Promise<string[]> {
  const dir = tempProject({ "sequrity.config.yaml": CONFIG, "t.test.yaml": testFile });
  const run = await runPolicyTests({ cwd: dir, configPath: "sequrity.config.yaml" });
  expect(run.results).toEqual([]);
  return formatDiagnostics(run.diagnostics, { codeFrame: false }).split("\n").filter(Boolean);
}

describe("test file errors, each at the value that has it", () => {
  it("unknown keys, at every level, with a hint", async () => {
    expect(
      await errors(`version: 1
cases:
  - name: a
    step: []
    steps:
      - { call: t, arg: {}, expect: allow }
      - { call: t, args: { x: { value: 1, tag: [a] } }, result: { as: r, metta: {} } }
`),
    ).toEqual([
      't.test.yaml:4:5: error: unknown key "step" in cases[0] (did you mean "steps"?)',
      't.test.yaml:6:20: error: unknown key "arg" in cases[0].steps[0] (did you mean "args"?)',
      't.test.yaml:7:43: error: unknown key "tag" in cases[0].steps[1].args.x (did you mean "tags"?)',
      't.test.yaml:7:74: error: unknown key "metta" in cases[0].steps[1].result (did you mean "meta"?)',
    ]);
  });

  it("a from naming no earlier result", async () => {
    expect(
      await errors(`version: 1
cases:
  - name: a
    steps:
      - { call: t, args: { x: { from: doc } } }
      - { call: t, result: { as: doc } }
      - { call: t, args: { x: { from: [doc, dco] } } }
`),
    ).toEqual([
      't.test.yaml:5:39: error: from: no earlier step names its result "doc"; name one with `result: {as: NAME}` in an earlier step',
      't.test.yaml:7:45: error: from: no earlier step names its result "dco" (did you mean "doc"?)',
    ]);
  });

  it("a tool name that is not a string", async () => {
    expect(await errors("version: 1\ncases:\n  - name: a\n    steps:\n      - call: 12\n      - call: [x]\n")).toEqual([
      "t.test.yaml:5:15: error: cases[0].steps[0].call: expected a string, got the number 12",
      "t.test.yaml:6:15: error: cases[0].steps[1].call: expected a string, got a list",
    ]);
  });

  it("an environment the config lacks, in the file or a case", async () => {
    expect(await errors("version: 1\nenvironments: [prd]\ncases:\n  - name: a\n    environments: [dev, staging]\n    steps: [turn]\n")).toEqual([
      't.test.yaml:2:16: error: environment "prd" is not in the config (did you mean "prod"?)',
      't.test.yaml:5:25: error: environment "staging" is not in the config; it defines: dev, prod',
    ]);
  });

  it("duplicate case names", async () => {
    expect(await errors("version: 1\ncases:\n  - { name: a, steps: [turn] }\n  - { name: a, steps: [turn] }\n")).toEqual([
      't.test.yaml:4:13: error: case name "a" is already used by the case at line 3',
    ]);
  });

  it("wrong values: version, steps, expectations, combine, sets", async () => {
    expect(
      await errors(`version: 2
cases:
  - name: a
    session: { tags: [x, "*"] }
    steps:
      - turns
      - { call: t, expect: alow }
      - { call: t, result: { combine: mix, meta: { consumers: ["*", a] } } }
      - { branch: x, expect_result: {} }
      - { tool: t }
  - name: ""
    steps: []
  - steps: [turn]
`),
    ).toEqual([
      "t.test.yaml:1:10: error: version: expected 1, got the number 2",
      't.test.yaml:4:26: error: "*" (the universal set) must come first: write ["*", "!a", ...] for everything except a',
      't.test.yaml:6:9: error: cases[0].steps[0]: the string "turns" is not allowed; expected one of "turn", "attempt" (did you mean "turn"?)',
      't.test.yaml:7:28: error: cases[0].steps[1].expect: the string "alow" is not allowed; expected one of "allow", "deny" (did you mean "allow"?)',
      't.test.yaml:8:39: error: cases[0].steps[2].result.combine: the string "mix" is not allowed; expected one of "merge", "replace", "ignore"',
      't.test.yaml:8:69: error: after "*", each item is an exception written "!NAME"; got "a"',
      't.test.yaml:9:22: error: unknown key "expect_result" in cases[0].steps[3]; known keys: branch, expect',
      "t.test.yaml:10:9: error: cases[0].steps[4]: a step is a `call: TOOL` or `branch: VALUE` mapping, or the word turn or attempt",
      "t.test.yaml:11:11: error: cases[1].name: must not be empty",
      "t.test.yaml:12:12: error: cases[1].steps: must not be empty",
      't.test.yaml:13:5: error: cases[2]: missing required key "name"',
    ]);
  });

  it("a file that is not a mapping, or has no version, or bad YAML", async () => {
    expect(await errors("- a\n")).toEqual(["t.test.yaml:1:1: error: a test file is a mapping with `version: 1` and `cases`"]);
    expect(await errors("cases: []\n")).toEqual(['t.test.yaml:1:1: error: missing required key "version"']);
    expect(await errors("version: 1\ncases: [\n")).toHaveLength(1);
  });

  it("a missing test file, and a glob that matches none, in the order written", async () => {
    const dir = tempProject({ "sequrity.config.yaml": CONFIG.replace("tests: [t.test.yaml]", "tests: [missing.test.yaml, 'none/*.yaml']") });
    const run = await runPolicyTests({ cwd: dir, configPath: "sequrity.config.yaml" });
    expect(formatDiagnostics(run.diagnostics, { codeFrame: false }).split("\n")).toEqual([
      "sequrity.config.yaml:5:9: error: cannot read test file missing.test.yaml: not found",
      'sequrity.config.yaml:5:28: error: tests: "none/*.yaml" matches no file',
    ]);
  });
});

describe("the exported JSON Schema agrees with the loader", () => {
  it("accepts the shipped and worked-example test files, and rejects what the loader rejects", async () => {
    const { readFileSync, readdirSync } = await import("node:fs");
    const path = await import("node:path");
    const { parse } = await import("yaml");
    const { compileValidators } = await import("../../src/validate/validators.js");
    const root = path.resolve(__dirname, "../..");
    // ajv compiled from the files in schemas/, as the CLI's validators are.
    const validate = compileValidators().test;
    const dirs = ["examples/policies", "test/simulate/worked-examples"];
    const files = dirs.flatMap((d) =>
      readdirSync(path.join(root, d))
        .filter((f) => f.endsWith(".test.yaml"))
        .map((f) => path.join(root, d, f)),
    );
    expect(files.length).toBeGreaterThan(8);
    for (const f of files) expect({ f, ok: validate(parse(readFileSync(f, "utf8"))), errors: validate.errors ?? null }).toEqual({ f, ok: true, errors: null });
    for (const bad of [
      { version: 1, cases: [{ name: "a", steps: [{ call: 1 }] }] },
      { version: 1, cases: [], extra: 1 },
      { version: 1, cases: [{ name: "a", steps: ["turns"] }] },
    ])
      expect(validate(bad)).toBe(false);
  });
});

describe("simulate() checks its steps like a test file's", () => {
  it("throws a DiagnosticError naming the step", async () => {
    const { simulate } = await import("../../src/index.js");
    const env = { name: "e", headers: {}, sections: { features: { agent_arch: "dual-llm" } } };
    expect(() => simulate(env, [{ call: "t", args: { x: { from: "nope" } } }])).toThrow('from: no earlier step names its result "nope"');
    expect(() => simulate(env, [{ call: 5 } as never])).toThrow("steps[0].call: expected a string, got the number 5");
  });
});
