// $overrides over a field the schema validates is allowed but said: it bypasses the field's checks.
import { describe, expect, it } from "vitest";
import { compileYaml, errorLines, runCli } from "../helpers.js";

const YAML = [
  "version: 1",
  "environments:",
  "  dev:",
  "    policy:",
  "      mode: strict",
  "      $overrides: {mode: standard, presets: {default_allow: false, new_knob: 1}, future_field: true}",
  "",
].join("\n");

describe("override-validated-field", () => {
  it("warns at each override that replaces a validated field, not at fields the schema lacks", async () => {
    const result = await compileYaml(YAML);
    expect(errorLines(result)).toEqual([
      "sequrity.config.yaml:6:20: warning: $overrides sets policy.mode, a field the schema validates; the value is sent as written, without its checks (environment dev)",
      "sequrity.config.yaml:6:46: warning: $overrides sets policy.presets.default_allow, a field the schema validates; the value is sent as written, without its checks (environment dev)",
    ]);
    expect(result.compiled?.environments[0]?.headers["X-Policy"]).toBe(
      '{"mode": "standard", "presets": {"default_allow": false, "new_knob": 1}, "future_field": true}',
    );
  });

  it("explain names the override as the source of the value sent", async () => {
    const { dir } = await compileYaml(YAML);
    const r = await runCli(["explain", "-e", "dev", "policy.mode"], dir);
    expect(r.stdout).toBe('policy.mode = "standard"    (sequrity.config.yaml:6:26, $overrides: sent unvalidated)\n');
  });
});
