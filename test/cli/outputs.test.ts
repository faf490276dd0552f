// build's outputs through the real binary: .env read back by a shell and by dotenv, TypeScript,
// --check for CI, and nothing written when the config is invalid.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import { describe, expect, it } from "vitest";
import { tempProject } from "../helpers.js";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin/sequrity-config.js");

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the shipped example in a temp dir. */
function exampleProject(): string {
  const dir = tempProject({});
  cpSync(path.join(ROOT, "examples/sequrity.config.yaml"), path.join(dir, "sequrity.config.yaml"));
  cpSync(path.join(ROOT, "examples/policies"), path.join(dir, "policies"), { recursive: true });
  return dir;
}

describe("build outputs (spawned)", { timeout: 60_000 }, () => {
  it(".env files give back the exact header strings to a POSIX shell and to dotenv", () => {
    const dir = exampleProject();
    const json = JSON.parse(run(["build"], dir).stdout) as Record<string, Record<string, string>>;
    const r = run(["build", "-f", "env", "-o", "env/"], dir);
    expect(r.code).toBe(0);
    for (const env of ["dev", "staging", "prod"]) {
      const file = path.join(dir, "env", `.env.${env}`);
      const want = json[env] ?? {};
      const parsed = dotenv.parse(readFileSync(file, "utf8"));
      expect(parsed.SEQURITY_FEATURES).toBe(want["X-Features"]);
      expect(parsed.SEQURITY_POLICY).toBe(want["X-Policy"]);
      expect(parsed.SEQURITY_CONFIG).toBe(want["X-Config"]);
      const sh = spawnSync("sh", ["-c", `set -a; . "$1"; printf '%s\\0%s\\0%s' "$SEQURITY_FEATURES" "$SEQURITY_POLICY" "$SEQURITY_CONFIG"`, "sh", file], { encoding: "utf8" });
      expect(sh.stdout.split("\0")).toEqual([want["X-Features"], want["X-Policy"], want["X-Config"]]);
    }
  });

  it("--check passes when fresh, fails with the stale files after an edit, and writes nothing", () => {
    const dir = exampleProject();
    expect(run(["build", "-f", "ts", "-o", "src/sequrity.ts"], dir).code).toBe(0);
    const before = statSync(path.join(dir, "src/sequrity.ts")).mtimeMs;
    const fresh = run(["build", "-f", "ts", "-o", "src/sequrity.ts", "--check"], dir);
    expect(fresh.code).toBe(0);

    const config = path.join(dir, "sequrity.config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("max_n_turns: 10", "max_n_turns: 12"));
    const stale = run(["build", "-f", "ts", "-o", "src/sequrity.ts", "--check"], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^src\/sequrity\.ts: out of date\n/);
    expect(statSync(path.join(dir, "src/sequrity.ts")).mtimeMs).toBe(before);

    expect(run(["build", "-f", "ts", "-o", "src/sequrity.ts"], dir).code).toBe(0);
    expect(run(["build", "-f", "ts", "-o", "src/sequrity.ts", "--check"], dir).code).toBe(0);
  });

  it("an invalid config leaves existing outputs untouched", () => {
    const dir = exampleProject();
    expect(run(["build", "-f", "env", "-o", "out/"], dir).code).toBe(0);
    const before = readFileSync(path.join(dir, "out/.env.prod"), "utf8");
    const config = path.join(dir, "sequrity.config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("max_n_turns: 10", "max_n_turns: ten"));
    const r = run(["build", "-f", "env", "-o", "out/"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/max_n_turns: expected an integer, got the string "ten"/);
    expect(r.stderr).toMatch(/nothing written\n$/);
    expect(readFileSync(path.join(dir, "out/.env.prod"), "utf8")).toBe(before);
  });

  it("a custom handlebars template renders with the documented context", () => {
    const dir = exampleProject();
    writeFileSync(path.join(dir, "list.hbs"), "{{#each environments}}{{name}} {{json features}}\n{{/each}}");
    const r = run(["build", "-f", "list.hbs", "-e", "dev"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('dev "{\\"agent_arch\\": \\"dual-llm\\"}"\n');
  });
});

describe("policy options of build and validate (spawned)", { timeout: 60_000 }, () => {
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
    "              hard deny when body.tags overlaps sensitive and not to.value in {str matching r\"(?P<n>x)\"};",
    "          }",
    "",
  ].join("\n");

  it("--minify-policy drops comments and whitespace; the code stays the same program", () => {
    const dir = tempProject({ "sequrity.config.yaml": config });
    const plain = JSON.parse(run(["build"], dir).stdout) as { prod: Record<string, string> };
    const min = run(["build", "--minify-policy"], dir);
    expect(min.code).toBe(0);
    const code = (JSON.parse((JSON.parse(min.stdout) as { prod: Record<string, string> }).prod["X-Policy"] ?? "") as { codes: { code: string } }).codes.code;
    expect(code).toBe('let sensitive={"internal_use"};tool "send_email"{hard deny when body.tags overlaps sensitive and not to.value in{str matching r"(?P<n>x)"};}');
    expect(code.length).toBeLessThan((plain.prod["X-Policy"] ?? "").length);
  });

  it("--strict turns lint warnings into a failure", () => {
    const dir = tempProject({ "sequrity.config.yaml": config });
    const lax = run(["validate"], dir);
    expect(lax.code).toBe(0);
    expect(lax.stderr).toMatch(/sequrity\.config\.yaml:10:\d+: warning: regex r"\(\?P<n>x\)": .*\(environment prod\)/);
    const strict = run(["validate", "--strict"], dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/sequrity\.config\.yaml:10:\d+: error: /);
  });
});
