/** `$overrides` sends policy code unchecked: code that does not parse is skipped by the simulator, never a crash. */
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
