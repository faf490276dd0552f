// validate --format json and --format github over a catalogue of broken configs: every diagnostic
// carries a code of the closed union, the JSON has product.md's shape, and each annotation follows
// GitHub's workflow-command syntax with the same position as the JSON.
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/errors.js";
import { runCli, tempProject } from "../helpers.js";

const CATALOGUE: Record<string, Record<string, string>> = {
  "yaml syntax": { "sequrity.config.yaml": "environments: {dev: [\n" },
  "schema errors in several environments": {
    "sequrity.config.yaml":
      "version: 1\nenvironments:\n  dev:\n    features: {agent_arc: dual-llm}\n  prod:\n    config: {fsm: {max_n_turns: 0}}\n    policy: {mode: loose}\n",
  },
  "extends cycle and unknown name": { "sequrity.config.yaml": "version: 1\nenvironments:\n  a: {extends: b}\n  b: {extends: a}\n  c: {extends: nope}\n" },
  "policy code, files and a comma, in a message": {
    "sequrity.config.yaml":
      "version: 1\nenvironments:\n  dev:\n    policy: {codes: {code: 'let x = ;'}}\n  qa:\n    policy: {codes: {file: missing.sqrt}}\n  prod:\n    policy: {codes: {file: ../outside.sqrt}}\n",
  },
  warnings: {
    "sequrity.config.yaml":
      "version: 1\nenvironments:\n  dev:\n    policy: {codes: {code: 'tool \"a\" { hard deny when Undefined; }'}, $overrides: {mode: strict}}\n",
  },
  "yaml tags and duplicate keys": { "sequrity.config.yaml": "version: 1\nenvironments:\n  dev: {policy: {codes: {code: !env X}}}\n  dev: {}\n" },
};

// ::error file=F,line=L,col=C,title=CODE::message (properties escaped: % : , CR LF; data: % CR LF).
const ANNOTATION = /^::(error|warning) file=([^,:]+)(?:,line=(\d+),col=(\d+))?,title=([a-z0-9-]+)::([^\r\n]*)$/;

describe.each(Object.entries(CATALOGUE))("%s", (_, files) => {
  it("--format json has the documented shape and only known codes", async () => {
    const r = await runCli(["validate", "--format", "json"], tempProject(files));
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as { valid: boolean; config: unknown; diagnostics: Record<string, unknown>[] };
    // The config is named even when it does not compile.
    expect(out.config).toBe("sequrity.config.yaml");
    const errors = out.diagnostics.filter((d) => d.severity === "error").length;
    expect([r.code, out.valid]).toEqual(errors > 0 ? [1, false] : [0, true]);
    expect(out.diagnostics.length).toBeGreaterThan(0);
    for (const d of out.diagnostics) {
      expect(Object.keys(d)).toEqual(["code", "severity", "message", "file", "line", "column", "environments"]);
      expect(ERROR_CODES).toContain(d.code);
    }
  });

  it("--format github gives one well-formed annotation per diagnostic, at the same place", async () => {
    const dir = tempProject(files);
    const json = JSON.parse((await runCli(["validate", "--format", "json"], dir)).stdout) as {
      diagnostics: { code: string; severity: string; file: string | null; line: number | null; column: number | null }[];
    };
    const r = await runCli(["validate", "--format", "github"], dir);
    const lines = r.stdout.split("\n").filter(Boolean);
    expect(lines.length).toBe(json.diagnostics.length);
    lines.forEach((line, i) => {
      const m = ANNOTATION.exec(line);
      expect(m, line).not.toBeNull();
      const d = json.diagnostics[i] as (typeof json.diagnostics)[number];
      expect([m?.[1], m?.[2], m?.[3] ? Number(m[3]) : null, m?.[4] ? Number(m[4]) : null, m?.[5]]).toEqual([
        d.severity,
        d.file?.replace(/:/g, "%3A").replace(/,/g, "%2C"),
        d.line,
        d.column,
        d.code,
      ]);
    });
  });
});

describe("--quiet and --strict", () => {
  it("--quiet drops warnings; --strict labels them errors and makes the run invalid", async () => {
    const dir = tempProject(CATALOGUE.warnings as Record<string, string>);
    const quiet = await runCli(["validate", "--quiet"], dir);
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, "", ""]);
    const strict = JSON.parse((await runCli(["validate", "--strict", "--format", "json"], dir)).stdout) as {
      valid: boolean;
      diagnostics: { severity: string }[];
    };
    expect(strict.valid).toBe(false);
    expect(strict.diagnostics.map((d) => d.severity)).toEqual(["error", "error"]);
  });
});
