/** review --base over several configs (git runs, so this is e2e): a result per config, one exit status. */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";
import { repo as gitRepo, write } from "./git.js";

const CONFIG = (mode: string) => `version: 1\nenvironments:\n  prod:\n    policy: { mode: ${mode} }\n`;

function repo(): string {
  const dir = gitRepo({ "api/sequrity.config.yaml": CONFIG("strict"), "web/sequrity.config.yaml": CONFIG("strict") });
  write(dir, { "web/sequrity.config.yaml": CONFIG("standard") });
  return dir;
}

describe("review --base with several configs", () => {
  it("--all reviews each config against the revision, under a heading each, and fails on the weakening one", async () => {
    const r = await runCli(["review", "--base", "HEAD", "--all"], repo());
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "== api/sequrity.config.yaml ==",
        "security review: working tree against git revision HEAD",
        "prod: unchanged",
        "summary: 0 weakening, 0 tightening, 0 review, 0 neutral",
        "",
        "== web/sequrity.config.yaml ==",
        "security review: working tree against git revision HEAD",
        "prod: changed",
        '  weakening  policy.mode changed: "strict" → "standard"  (web/sequrity.config.yaml:4:21)',
        "summary: 1 weakening, 0 tightening, 0 review, 0 neutral",
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe("2 configs: 1 passed, 1 failed (errors, or a change at or above --fail-on)\n");
  });

  it("in text, a config that does not compile names itself on each side's heading", async () => {
    const dir = repo();
    write(dir, { "api/sequrity.config.yaml": "version: 1\nenvironments:\n  prod:\n    policy: { mode: lax }\n" });
    const r = await runCli(["review", "--base", "HEAD", "--all"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("after (working tree of api/sequrity.config.yaml):\napi/sequrity.config.yaml:4:21: error: environments.prod.policy.mode");
    expect(r.stdout).toContain("== web/sequrity.config.yaml ==\nsecurity review: working tree against git revision HEAD\n");
  });

  it("--format json is one document with each config's review", async () => {
    const r = await runCli(["review", "--base", "HEAD", "-c", "web/sequrity.config.yaml", "-c", "api/sequrity.config.yaml", "--format", "json"], repo());
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { configs: { config: string; review: { summary: Record<string, number> } }[] };
    expect(doc.configs.map((c) => [c.config, c.review.summary.weakening])).toEqual([
      ["web/sequrity.config.yaml", 1],
      ["api/sequrity.config.yaml", 0],
    ]);
  });

  it("in json, a config that does not compile holds its errors, and one whose revision git cannot read holds null", async () => {
    const dir = repo();
    write(dir, { "api/sequrity.config.yaml": "version: 1\nenvironments:\n  prod:\n    policy: { mode: lax }\n" });
    const r = await runCli(["review", "--base", "HEAD", "--all", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      configs: { config: string; errors?: { valid: boolean; diagnostics: { side: string; code: string }[] }; review?: unknown }[];
    };
    expect(doc.configs[0]).toEqual({
      config: "api/sequrity.config.yaml",
      errors: { valid: false, diagnostics: [expect.objectContaining({ side: "after", code: "invalid-value", line: 4, column: 21 })] },
    });
    expect(doc.configs[1]?.config).toBe("web/sequrity.config.yaml");
    expect(doc.configs[1]?.review).toBeDefined();
    const missing = await runCli(["review", "--base", "no-such-ref", "--all", "--format", "json"], dir);
    expect(missing.code).toBe(2);
    expect((JSON.parse(missing.stdout) as { configs: { errors: null }[] }).configs.map((c) => c.errors)).toEqual([null, null]);
    // Both configs are in one work tree: the revision is read once, and its error told once.
    expect(missing.stderr.match(/error: --base no-such-ref/g)?.length).toBe(1);
  });
});
