/** The test command on inputs it must survive: code $overrides sends unchecked, names that could drive the terminal. */
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../helpers.js";

const CONFIG = `version: 1
defaults:
  features: { agent_arch: dual-llm }
  policy: { codes: { code: 'tool "t" { hard deny always; }' } }
tests: [t.yaml]
environments:
  dev: {}
  prod:
    policy: { $overrides: { codes: { code: "tool { nonsense" } } }
`;
const TESTS = "version: 1\ncases:\n  - name: t is denied\n    steps:\n      - { call: t, expect: deny }\n";

describe("policy code from $overrides that does not parse", () => {
  it("test runs the other environments and reports this one as skipped, with the reason", async () => {
    const r = await runCli(["test", "--format", "json"], tempProject({ "sequrity.config.yaml": CONFIG, "t.yaml": TESTS }));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { results: { environment: string; passed: boolean; skipped?: string }[] };
    expect(doc.results.map((x) => [x.environment, x.passed, x.skipped?.slice(0, 32)])).toEqual([
      ["dev", true, undefined],
      ["prod", true, "its policy code does not parse ("],
    ]);
  });
});

describe("the text report of test", () => {
  it("escapes control and bidi characters from case names instead of printing them", async () => {
    const tests = 'version: 1\ncases:\n  - name: "red \\e[31m and \\u202e flipped"\n    steps:\n      - { call: t, expect: deny }\n';
    const config =
      "version: 1\ndefaults:\n  features: { agent_arch: dual-llm }\n  policy: { codes: { code: 'tool \"t\" { hard deny always; }' } }\ntests: [t.yaml]\nenvironments:\n  dev: {}\n";
    const r = await runCli(["test"], tempProject({ "sequrity.config.yaml": config, "t.yaml": tests }));
    expect(r.stdout).toContain("t.yaml: red \\x1b[31m and \\u202e flipped [dev]\n");
    expect(r.stdout).not.toMatch(/[\u001b\u202e]/);
  });
});

describe("test --format json on errors", () => {
  it("prints the diagnostics document on stdout, as the other commands' json does", async () => {
    const config = "version: 1\ndefaults:\n  features: { agent_arch: dual-llm }\ntests: [t.yaml]\nenvironments:\n  dev: {}\n";
    const r = await runCli(["test", "--format", "json"], tempProject({ "sequrity.config.yaml": config, "t.yaml": "version: 1\ncases: 5\n" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const doc = JSON.parse(r.stdout) as { valid: boolean; diagnostics: { code: string; file: string; line: number }[] };
    expect(doc.valid).toBe(false);
    expect(doc.diagnostics.map((d) => [d.file, d.line])).toEqual([["t.yaml", 2]]);
  });
});
