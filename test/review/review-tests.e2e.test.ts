// review lists the policy-test cases whose verdicts a change flips (security-review.md).
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";
import { repo, write } from "./git.js";

const CONFIG = ["version: 1", "defaults:", "  policy:", "    codes: {file: base.sqrt}", "environments:", "  prod: {}", "tests: [mail.test.yaml]", ""].join(
  "\n",
);
const DENY = 'tool "send_email" {\n    hard deny when body.tags overlaps {"internal_use"};\n}\n';
const TESTS = [
  "version: 1",
  "cases:",
  "  - name: internal mail stays inside",
  "    steps:",
  "      - call: send_email",
  "        args: {body: {value: x, tags: [internal_use]}}",
  "        expect: deny",
  "",
].join("\n");

describe("review with policy tests", { timeout: 60_000 }, () => {
  it("a removed deny rule flips the case from deny to allow: a weakening test change", async () => {
    const dir = repo({ "sequrity.config.yaml": CONFIG, "base.sqrt": DENY, "mail.test.yaml": TESTS });
    write(dir, { "base.sqrt": "" });
    const r = await runCli(["review", "--base", "main", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { environments: { prod: { changes: Record<string, unknown>[] } }; summary: Record<string, number> };
    const tests = out.environments.prod.changes.filter((c) => c.kind === "test");
    expect(tests).toEqual([
      {
        kind: "test",
        case: "internal mail stays inside",
        file: "mail.test.yaml",
        class: "weakening",
        before: "deny",
        after: "allow",
        // At the step that flipped, in the test file (github annotations need a file).
        location: { file: "mail.test.yaml", line: 5, column: 9 },
      },
    ]);
    expect(out.summary.weakening).toBe(2);
  });

  it("a case with several flipped steps is one entry, not one per step", async () => {
    const twice = TESTS + ["      - call: send_email", "        args: {body: {value: y, tags: [internal_use]}}", "        expect: deny", ""].join("\n");
    const dir = repo({ "sequrity.config.yaml": CONFIG, "base.sqrt": DENY, "mail.test.yaml": twice });
    write(dir, { "base.sqrt": "" });
    const out = JSON.parse((await runCli(["review", "--base", "main", "--format", "json"], dir)).stdout) as {
      environments: { prod: { changes: { kind: string }[] } };
      summary: Record<string, number>;
    };
    expect(out.environments.prod.changes.filter((c) => c.kind === "test")).toHaveLength(1);
    expect(out.summary.weakening).toBe(2);
  });

  it("no change to the policy, no test entries", async () => {
    const dir = repo({ "sequrity.config.yaml": CONFIG, "base.sqrt": DENY, "mail.test.yaml": TESTS });
    const r = await runCli(["review", "--base", "main", "--format", "json"], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).environments.prod).toEqual({ status: "unchanged", changes: [] });
  });
});
