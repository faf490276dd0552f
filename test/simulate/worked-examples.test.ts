// The service's published worked examples (test/simulate/worked-examples/*.test.yaml, each citing
// the page and outcome it reproduces) pass, and rest on the decisions one would expect.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runPolicyTests } from "../../src/simulate/index.js";

const DIR = path.join(__dirname, "worked-examples");

describe("the service's worked examples", async () => {
  const run = await runPolicyTests({ cwd: DIR, configPath: "sequrity.config.yaml" });

  it("load without errors and every case passes", () => {
    expect(run.diagnostics).toEqual([]);
    expect(
      run.results.filter((r) => r.status !== "passed").map((r) => `${r.file}: ${r.case} [${r.environment}]: ${r.failures.map((f) => f.message).join("; ")}`),
    ).toEqual([]);
    expect(run.summary).toEqual({ cases: 18, passed: 18, failed: 0, undetermined: 0 });
  });

  it("cover the leak, refund, provenance, de-identification, fairness, LLM-blocked and tutorial examples", () => {
    expect([...new Set(run.results.map((r) => r.file))]).toEqual([
      "deidentification.test.yaml",
      "fairness.test.yaml",
      "leak.test.yaml",
      "llm-blocked.test.yaml",
      "metadata-tutorial.test.yaml",
      "provenance.test.yaml",
      "refund.test.yaml",
      "tool-policies.test.yaml",
    ]);
  });

  const find = (file: string, env: string, index = 0) =>
    run.results.find(
      (r) => r.file === file && r.environment === env && r.case === run.results.filter((x) => x.file === file && x.environment === env)[index]?.case,
    );

  it("the refund is allowed by its hard allow once final_attempt is in the session, after three allow-list denials", () => {
    const r = find("refund.test.yaml", "refund");
    expect(r?.steps.filter((s) => s.kind === "call").map((s) => `${s.verdict} ${s.decided_by?.line}:${s.decided_by?.column}`)).toEqual([
      "deny 15:5",
      "deny 15:5",
      "deny 15:5",
      "allow 15:5",
    ]);
    expect(r?.steps[6]?.decided_by).toEqual({
      kind: "rule",
      text: 'hard allow when "final_attempt" in @session.tags;',
      file: "policies/refund.sqrt",
      line: 15,
      column: 5,
    });
    expect(r?.steps[2]?.decisions).toEqual(["D6"]);
  });

  it("the tutorial's consumers stay universal under D1", () => {
    expect(find("metadata-tutorial.test.yaml", "metadata_tutorial")?.steps[0]?.decisions).toEqual(["D1"]);
  });

  it("parse_with_ai is denied by the internal policy", () => {
    expect(find("llm-blocked.test.yaml", "llm_blocked_on")?.steps[1]?.decided_by).toEqual({
      kind: "internal",
      text: "enable_llm_blocked_tag",
      file: null,
      line: null,
      column: null,
    });
  });
});
