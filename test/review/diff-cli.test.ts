// `diff A B` uses the review engine: classified changes, policy code as rule changes and a line diff.
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../helpers.js";

describe("diff ENV_A ENV_B", { timeout: 60_000 }, () => {
  it("classifies each change and shows policy code as a unified line diff, not escaped strings", async () => {
    const dir = tempProject({
      "sequrity.config.yaml": [
        "version: 1",
        "defaults:",
        "  policy: {mode: strict, codes: {file: base.sqrt}}",
        "environments:",
        "  prod: {}",
        "  dev:",
        "    policy:",
        "      mode: standard",
        "      codes:",
        "        code:",
        "          $append: |",
        '            tool "debug" {',
        "                soft allow always;",
        "            }",
        "",
      ].join("\n"),
      "base.sqrt": 'tool "send_email" {\n    hard deny when body.tags overlaps {"secret"};\n}\n',
    });
    const r = await runCli(["diff", "prod", "dev"], dir);
    expect(r.stdout).toBe(
      [
        "policy.mode: weakening",
        '  - prod: "strict"',
        '  + dev: "standard"',
        "policy.codes: weakening",
        '  tool "debug" rule added: soft allow always',
        "policy.codes.code (line diff):",
        "  --- prod",
        "  +++ dev",
        "  @@ -1,3 +1,7 @@",
        '   tool "send_email" {',
        '       hard deny when body.tags overlaps {"secret"};',
        "   }",
        "  +",
        '  +tool "debug" {',
        "  +    soft allow always;",
        "  +}",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(1);
  });

  it("says when two environments send identical headers", async () => {
    const dir = tempProject({ "sequrity.config.yaml": "version: 1\nenvironments:\n  a: {policy: {mode: strict}}\n  b: {policy: {mode: strict}}\n" });
    expect(await runCli(["diff", "a", "b"], dir)).toEqual({ code: 0, stdout: "a and b send identical headers\n", stderr: "" });
  });

  it("matches tools by the name the service reads (D14): two spellings of one name are one tool, \\u0079 is not y", async () => {
    const config = [
      "version: 1",
      "environments:",
      `  a: { policy: { codes: { code: 'tool "x\\y" { hard deny always; }' } } }`,
      `  b: { policy: { codes: { code: 'tool "x\\\\y" { hard deny always; }' } } }`,
      `  c: { policy: { codes: { code: 'tool "x\\u0079" { hard deny always; }' } } }`,
      "",
    ].join("\n");
    const dir = tempProject({ "sequrity.config.yaml": config });
    const same = await runCli(["diff", "a", "b"], dir);
    expect(same.stdout).toMatch(/^policy\.codes\.code \(line diff\):\n/);
    const other = await runCli(["diff", "a", "c"], dir);
    expect(other.stdout).toContain(
      'policy.codes: tightening\n  tool "x\\\\u0079" rule added: hard deny always\npolicy.codes: weakening\n  tool "x\\\\y" rule removed: hard deny always\n',
    );
  });

  it("shows control and bidi characters from the files escaped: in values, rules and the line diff", async () => {
    const dir = tempProject({
      "sequrity.config.yaml": [
        "version: 1",
        "environments:",
        '  a: {policy: {codes: {code: "// \\e]0;title\\a\\ntool \\"t\\" { hard deny when x.tags overlaps {\\"s\\e[8m\\"}; }\\n"}}}',
        '  b: {config: {$overrides: {k: "v\\u202e\\x9b"}}}',
        "",
      ].join("\n"),
    });
    const r = await runCli(["diff", "a", "b"], dir);
    expect([...r.stdout].filter((ch) => /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/.test(ch))).toEqual([]);
    expect(r.stdout).toContain('  + b: "v\\u202e\\u009b"\n');
    expect(r.stdout).toContain('  tool "t" rule removed: hard deny when x.tags overlaps {"s\\x1b[8m"}\n');
    expect(r.stdout).toContain("  -// \\x1b]0;title\\x07\n");
  });

  it("explain shows control and bidi characters of keys and values escaped", async () => {
    const dir = tempProject({ "sequrity.config.yaml": 'version: 1\nenvironments:\n  a: {config: {$overrides: {"k\\e[2J": "v\\u202e\\x9b"}}}\n' });
    const r = await runCli(["explain", "-e", "a", "config"], dir);
    expect(r.stdout).toBe(
      'config = {}    (sequrity.config.yaml:3:15)\nconfig.k\\x1b[2J = "v\\u202e\\u009b"    (sequrity.config.yaml:3:39, $overrides: sent unvalidated)\n',
    );
  });

  it('names a regex tool id as written (tool r"..."), a string id quoted', async () => {
    const dir = tempProject({
      "sequrity.config.yaml": [
        "version: 1",
        "environments:",
        `  dev: {policy: {codes: {code: 'tool r"^del.*" { hard deny always; } tool "r\\"x\\"" { hard deny always; }'}}}`,
        `  prod: {policy: {codes: {code: 'tool r"^del.*" { soft deny always; } tool "r\\"x\\"" { soft deny always; }'}}}`,
        "",
      ].join("\n"),
    });
    const r = await runCli(["diff", "dev", "prod"], dir);
    expect(r.stdout.split("\n").slice(0, 3)).toEqual([
      "policy.codes: weakening",
      '  tool r"^del.*" enforcement changed: hard deny always → soft deny always',
      "policy.codes: weakening",
    ]);
    expect(r.stdout).toContain('  tool "r\\"x\\"" enforcement changed: hard deny always → soft deny always\n');
  });
});
