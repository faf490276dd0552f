// build's outputs: --check for CI, nothing written when the config is invalid, templates, and the
// policy options; in-process through main(argv, io).
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exampleProject, runCli, tempProject } from "../helpers.js";

describe("build outputs", () => {
  it("--check passes when fresh, fails with the stale files after an edit, and writes nothing", async () => {
    const dir = exampleProject();
    expect((await runCli(["build", "-f", "ts", "-o", "src/sequrity.ts"], dir)).code).toBe(0);
    const before = statSync(path.join(dir, "src/sequrity.ts")).mtimeMs;
    const fresh = await runCli(["build", "-f", "ts", "-o", "src/sequrity.ts", "--check"], dir);
    expect(fresh.code).toBe(0);

    const config = path.join(dir, "sequrity.config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("max_n_turns: 10", "max_n_turns: 12"));
    const stale = await runCli(["build", "-f", "ts", "-o", "src/sequrity.ts", "--check"], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^src\/sequrity\.ts: out of date\n/);
    expect(statSync(path.join(dir, "src/sequrity.ts")).mtimeMs).toBe(before);

    expect((await runCli(["build", "-f", "ts", "-o", "src/sequrity.ts"], dir)).code).toBe(0);
    expect((await runCli(["build", "-f", "ts", "-o", "src/sequrity.ts", "--check"], dir)).code).toBe(0);
  });

  it("an invalid config leaves existing outputs untouched", async () => {
    const dir = exampleProject();
    expect((await runCli(["build", "-f", "env", "-o", "out/"], dir)).code).toBe(0);
    const before = readFileSync(path.join(dir, "out/.env.prod"), "utf8");
    const config = path.join(dir, "sequrity.config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("max_n_turns: 10", "max_n_turns: ten"));
    const r = await runCli(["build", "-f", "env", "-o", "out/"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/max_n_turns: expected an integer, got the string "ten"/);
    expect(r.stderr).toMatch(/nothing written\n$/);
    expect(readFileSync(path.join(dir, "out/.env.prod"), "utf8")).toBe(before);
  });

  it("a custom handlebars template renders with the documented context", async () => {
    const dir = exampleProject();
    writeFileSync(path.join(dir, "list.hbs"), "{{#each environments}}{{name}} {{json features}}\n{{/each}}");
    const r = await runCli(["build", "-f", "list.hbs", "-e", "dev"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('dev "{\\"agent_arch\\": \\"dual-llm\\"}"\n');
  });
});

describe("policy options of build and validate", () => {
  const config = [
    "version: 1",
    "environments:",
    "  prod:",
    "    policy:",
    "      codes:",
    "        code: |",
    "          // Keep internal data inside.",
    '          let sensitive = {"internal_use"};',
    '          tool "send_email" {',
    '              hard deny when body.tags overlaps sensitive and not to.value in {str matching r"(?P<n>x)"};',
    "          }",
    "",
  ].join("\n");

  it("--minify-policy drops comments and whitespace; the code stays the same program", async () => {
    const dir = tempProject({ "sequrity.config.yaml": config });
    const plain = JSON.parse((await runCli(["build"], dir)).stdout) as { prod: Record<string, string> };
    const min = await runCli(["build", "--minify-policy"], dir);
    expect(min.code).toBe(0);
    const code = (JSON.parse((JSON.parse(min.stdout) as { prod: Record<string, string> }).prod["X-Policy"] ?? "") as { codes: { code: string } }).codes.code;
    expect(code).toBe(
      'let sensitive={"internal_use"};tool "send_email"{hard deny when body.tags overlaps sensitive and not to.value in{str matching r"(?P<n>x)"};}',
    );
    expect(code.length).toBeLessThan((plain.prod["X-Policy"] ?? "").length);
  });

  it("--strict turns lint warnings into a failure", async () => {
    const dir = tempProject({ "sequrity.config.yaml": config });
    const lax = await runCli(["validate"], dir);
    expect(lax.code).toBe(0);
    expect(lax.stderr).toMatch(/sequrity\.config\.yaml:10:\d+: warning: regex r"\(\?P<n>x\)": .*\(environment prod\)/);
    const strict = await runCli(["validate", "--strict"], dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/sequrity\.config\.yaml:10:\d+: error: /);
  });
});
