// `sequrity-config test`, spawned as a user runs it: the shipped example, exit statuses, the three
// output formats (JUnit read back by a real XML parser), and the verdicts diff and promote list.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { tempProject } from "../helpers.js";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin/sequrity-config.js");
const EXAMPLE = path.join(ROOT, "examples/sequrity.config.yaml");

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CASES = [
  "a confidential document cannot be mailed outside the company",
  "the same document may be mailed to the company's own domain",
  "mail that carries no internal data may go anywhere",
];

describe("sequrity-config test (spawned)", { timeout: 60_000 }, () => {
  it("runs the shipped example's tests in every environment and passes", () => {
    const r = run(["test", "-c", EXAMPLE]);
    expect(r.code).toBe(0);
    const file = "examples/policies/internal-docs.test.yaml";
    expect(r.stdout).toBe(
      [
        ...CASES.flatMap((c) => ["dev", "staging", "prod"].map((e) => `PASS         ${file}: ${c} [${e}]`)),
        `PASS         ${file}: in production, a confidential document gets no public link [prod]`,
        `PASS         ${file}: before production, share links are not restricted [dev]`,
        `PASS         ${file}: before production, share links are not restricted [staging]`,
        "",
        "12 case runs: 12 passed, 0 failed, 0 undetermined",
        "",
      ].join("\n"),
    );
    expect(r.stderr.split("\n")).toContain("note: prod: fail_fast: true: not simulated");
  });

  it("-e narrows the environments; an unknown one is a usage error (2)", () => {
    expect(run(["test", "-c", EXAMPLE, "-e", "prod"]).stdout.trimEnd().split("\n").at(-1)).toBe("4 case runs: 4 passed, 0 failed, 0 undetermined");
    const bad = run(["test", "-c", EXAMPLE, "-e", "qa"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown environment "qa"/);
  });

  it("--format json prints the documented shape", () => {
    const r = run(["test", "-c", EXAMPLE, "-e", "prod", "--format", "json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { results: Record<string, unknown>[]; summary: unknown };
    expect(out.summary).toEqual({ cases: 4, passed: 4, failed: 0, undetermined: 0 });
    expect(Object.keys(out.results[0] ?? {})).toEqual(["file", "case", "environment", "passed", "steps"]);
    expect(((out.results[0]?.steps ?? []) as unknown[])[0]).toEqual({
      index: 0,
      kind: "call",
      tool: "get_internal_document",
      verdict: "allow",
      expected: "allow",
      passed: true,
      decided_by: { kind: "default", text: "default_allow", file: null, line: null, column: null },
      decisions: ["D9"],
      reasons: [],
      result_meta: { producers: [], consumers: ["*"], tags: ["__non_executable", "confidential", "internal_use"] },
      session_meta: { producers: [], consumers: ["*"], tags: [] },
    });
    expect(((out.results[0]?.steps ?? []) as Record<string, unknown>[])[1]?.decided_by).toEqual({
      kind: "rule",
      text: 'hard deny when (body.tags overlaps sensitive_docs) and (not to.value in {str matching r".*@trustedcorp\\.com"});',
      file: "examples/policies/internal-docs.sqrt",
      line: 8,
      column: 5,
    });
  });

  describe("failures", () => {
    const dir = tempProject({
      "sequrity.config.yaml": `version: 1
environments:
  prod:
    features: { agent_arch: dual-llm }
    policy:
      codes:
        code: |
          tool "send_email" {
              hard deny when to.value in {str matching r".*@gmail\\.com"};
          }
  solo:
    features: { agent_arch: single-llm }
tests: [checks.test.yaml]
`,
      "checks.test.yaml": `version: 1
cases:
  - name: gmail is blocked
    steps:
      - { call: send_email, args: { to: a@gmail.com }, expect: allow }
      - { call: send_email, args: { to: a@gmail.com.evil.io }, expect: deny }
  - name: other mail goes
    steps:
      - { call: send_email, args: { to: a@x.org }, expect: allow }
`,
    });

    it("text: one line per case and environment, then each failure located, with the deciding rule quoted at its place in the YAML", () => {
      const r = run(["test"], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(
        [
          "FAIL         checks.test.yaml: gmail is blocked [prod]",
          "SKIP         checks.test.yaml: gmail is blocked [solo]: single-llm environments are not simulated (single-LLM has no metadata propagation)",
          "PASS         checks.test.yaml: other mail goes [prod]",
          "SKIP         checks.test.yaml: other mail goes [solo]: single-llm environments are not simulated (single-LLM has no metadata propagation)",
          "",
          "FAIL checks.test.yaml: gmail is blocked [prod]",
          "  checks.test.yaml:5:9: step 0, call send_email: expected allow, got deny",
          '    decided by: the rule `hard deny when to.value in {str matching r".*@gmail\\.com"};` at sequrity.config.yaml:9:15',
          "  checks.test.yaml:6:9: step 1, call send_email: expected deny, got undetermined",
          '    D2: r".*@gmail\\.com" against "a@gmail.com.evil.io": the readings disagree: fullmatch false, match true, search true (sequrity.config.yaml:9:30)',
          "",
          "2 case runs: 1 passed, 1 failed, 0 undetermined, 2 skipped",
          "",
        ].join("\n"),
      );
    });

    it("json: skipped cases have no steps; the summary counts the runs", () => {
      const out = JSON.parse(run(["test", "--format", "json"], dir).stdout) as { results: Record<string, unknown>[]; summary: unknown };
      expect(out.results[1]).toEqual({
        file: "checks.test.yaml",
        case: "gmail is blocked",
        environment: "solo",
        passed: true,
        skipped: "single-llm environments are not simulated (single-LLM has no metadata propagation)",
      });
      expect(out.summary).toEqual({ cases: 2, passed: 1, failed: 1, undetermined: 0 });
    });

    it("junit: one testsuite per file and one testcase per case and environment, read back by an XML parser", () => {
      const r = run(["test", "--format", "junit", "-o", "report.xml"], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(readFileSync(path.join(dir, "report.xml"), "utf8")) as {
        testsuites: {
          tests: string;
          failures: string;
          testsuite: {
            name: string;
            testcase: { name: string; failure?: { message: string; type: string; "#text": string }; skipped?: { message: string } }[];
          };
        };
      };
      expect(xml.testsuites).toMatchObject({ tests: "4", failures: "1", skipped: "2" });
      const suite = xml.testsuites.testsuite;
      expect(suite.name).toBe("checks.test.yaml");
      expect(suite.testcase.map((t) => t.name)).toEqual([
        "gmail is blocked [prod]",
        "gmail is blocked [solo]",
        "other mail goes [prod]",
        "other mail goes [solo]",
      ]);
      expect(suite.testcase[0]?.failure).toMatchObject({ message: "step 0: expected allow, got deny", type: "failed" });
      expect(suite.testcase[0]?.failure?.["#text"]).toContain('D2: r".*@gmail\\.com"');
      expect(suite.testcase[1]?.skipped?.message).toMatch(/^single-llm environments are not simulated/);
    });

    it("an undetermined verdict where deny was expected fails as undetermined", () => {
      writeFileSync(
        path.join(dir, "undetermined.test.yaml"),
        "version: 1\ncases:\n  - name: look-alike\n    environments: [prod]\n    steps:\n      - { call: send_email, args: { to: a@gmail.com.evil.io }, expect: deny }\n",
      );
      const r = run(["test", "undetermined.test.yaml"], dir);
      expect(r.code).toBe(1);
      expect(r.stdout.split("\n")[0]).toBe("UNDETERMINED undetermined.test.yaml: look-alike [prod]");
      expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("1 case run: 0 passed, 0 failed, 1 undetermined");
    });
  });

  it("a bad test file: located errors, exit 1, nothing on stdout", () => {
    const dir = tempProject({
      "sequrity.config.yaml": "version: 1\nenvironments:\n  a: {}\ntests: [t.test.yaml]\n",
      "t.test.yaml": "version: 1\ncases:\n  - name: x\n    steps: [{ call: 1 }]\n",
    });
    const r = run(["test"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^t\.test\.yaml:4:21: error: cases\[0\]\.steps\[0\]\.call: expected a string, got the number 1/);
  });

  it("no test files anywhere is a usage error (2)", () => {
    const dir = tempProject({ "sequrity.config.yaml": "version: 1\nenvironments:\n  a: {}\n" });
    const r = run(["test"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sequrity\.config\.yaml names no test files: list them under `tests:` or name them on the command line/);
  });

  it("diff lists the test cases whose verdicts differ between the two environments", () => {
    const r = run(["diff", "-c", EXAMPLE, "dev", "prod"]);
    expect(r.code).toBe(1);
    expect(r.stdout.slice(r.stdout.indexOf("test verdicts"))).toBe(
      [
        "test verdicts that differ:",
        "  examples/policies/internal-docs.test.yaml: in production, a confidential document gets no public link",
        "    step 1 (call create_share_link): dev allow, prod deny",
        "  examples/policies/internal-docs.test.yaml: before production, share links are not restricted",
        "    step 1 (call create_share_link): dev allow, prod deny",
        "",
      ].join("\n"),
    );
  });

  it("promote lists the cases of TO whose verdicts change with FROM's X-Policy", () => {
    const r = run(["promote", "-c", EXAMPLE, "staging", "prod"]);
    expect(r.code).toBe(0);
    expect(r.stdout.slice(r.stdout.indexOf("test verdicts"))).toBe(
      [
        "test verdicts in prod that would change:",
        "  examples/policies/internal-docs.test.yaml: in production, a confidential document gets no public link",
        "    step 1 (call create_share_link): before deny, after allow",
        "",
      ].join("\n"),
    );
  });

  it("init's starter project passes its own tests, and its next steps run through npx in a devDependency project", () => {
    const dir = tempProject({ "package.json": '{"name": "app", "private": true, "devDependencies": {"sequrity-config": "*"}}\n' });
    const link = (target: string, at: string) => spawnSync("ln", ["-s", target, path.join(dir, at)]);
    spawnSync("mkdir", ["-p", path.join(dir, "node_modules/.bin")]);
    link(ROOT, "node_modules/sequrity-config");
    link("../sequrity-config/bin/sequrity-config.js", "node_modules/.bin/sequrity-config");
    const init = run(["init"], dir);
    expect(init.code).toBe(0);
    const next = /^next: (.*)$/m.exec(init.stderr)?.[1] ?? "";
    expect(next).toBe("npx sequrity-config validate && npx sequrity-config test && npx sequrity-config build");
    for (const command of next.split(" && ")) {
      const [, ...args] = command.split(" ");
      const r = spawnSync("npx", ["--no-install", ...args], { cwd: dir, encoding: "utf8" });
      expect({ command, code: r.status }).toEqual({ command, code: 0 });
    }
    expect(readFileSync(path.join(dir, "policies/base.test.yaml"), "utf8").split("\n")[0]).toBe(
      "# yaml-language-server: $schema=../node_modules/sequrity-config/schemas/sequrity-test.schema.json",
    );
  });
});
