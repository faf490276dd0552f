// Policy code is checked at compile time, and every problem points into the file that wrote it.
import { describe, expect, it } from "vitest";
import { compileYaml, errorLines, headersOf } from "../helpers.js";

const BASE = `let sensitive = {"internal_use", "confidential"};

tool "send_email" {
    hard deny when body.tags overlaps sensitive;
}
`;

describe("policy code at compile time", () => {
  it("an error in a codes.file points into the .sqrt file and names every environment using it", async () => {
    const yaml = "version: 1\ndefaults:\n  policy:\n    codes: {file: policies/base.sqrt}\nenvironments:\n  dev: {}\n  prod: {}\n";
    const result = await compileYaml(yaml, { "policies/base.sqrt": BASE.replace("sensitive;", "sensitive") });
    expect(errorLines(result)).toEqual(["policies/base.sqrt:5:1: error: expected ';' after check rule, found '}' (environments dev, prod)"]);
  });

  it("an error in text added by $append points at the line inside the YAML block of the layer that wrote it", async () => {
    const yaml = [
      "version: 1",
      "defaults:",
      "  policy:",
      "    codes: {file: policies/base.sqrt}",
      "environments:",
      "  dev: {}",
      "  prod:",
      "    policy:",
      "      codes:",
      "        code:",
      "          $append: |",
      '            tool "x" {',
      "                must alow always;",
      "            }",
      "",
    ].join("\n");
    const result = await compileYaml(yaml, { "policies/base.sqrt": BASE });
    expect(errorLines(result)).toEqual([
      "sequrity.config.yaml:13:22: error: unknown keyword 'alow': did you mean 'allow'? expected 'allow' or 'deny' after 'must', found 'alow' (environment prod)",
    ]);
  });

  it("an unterminated string in a quoted scalar is located in the YAML file", async () => {
    const yaml = 'version: 1\nenvironments:\n  dev:\n    policy:\n      codes:\n        code: "let x = {str \\"abc};"\n';
    const lines = errorLines(await compileYaml(yaml));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sequrity\.config\.yaml:6:\d+: error: .*unterminated string.* \(environment dev\)$/);
  });

  it("lint warnings do not fail the build; they point at the code", async () => {
    const yaml = [
      "version: 1",
      "environments:",
      "  prod:",
      "    policy:",
      "      codes:",
      "        code: |",
      '          tool "x" {',
      '              hard deny when "a" in {str matching r"(?P<n>a)"};',
      "          }",
      "",
    ].join("\n");
    const result = await compileYaml(yaml);
    expect(result.compiled).toBeDefined();
    expect(errorLines(result)).toEqual([
      `sequrity.config.yaml:8:51: warning: regex r"(?P<n>a)": '(?P<name>...)' / '(?P=name)' are Python named-group syntax (JavaScript uses '(?<name>...)' / '\\k<name>') (environment prod)`,
    ]);
  });

  it("Cedar code is checked with cedar-wasm when language is cedar", async () => {
    const yaml =
      "version: 1\nenvironments:\n  ced:\n    policy:\n      codes:\n        language: cedar\n        code: |\n          permit(principal, action, resource)\n          when { principal.level > };\n";
    const lines = errorLines(await compileYaml(yaml));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sequrity\.config\.yaml:9:36: error: unexpected token `}`.* \(environment ced\)$/);
    const ok = await compileYaml(
      "version: 1\nenvironments:\n  ced:\n    policy:\n      codes:\n        language: cedar\n        code: 'permit(principal, action, resource);'\n",
    );
    expect(headersOf(ok, "ced")["X-Policy"]).toBe('{"codes": {"code": "permit(principal, action, resource);", "language": "cedar"}}');
  });

  it("a header over checks.max_header_bytes is a warning", async () => {
    const yaml =
      "version: 1\nchecks: {max_header_bytes: 40}\nenvironments:\n  dev:\n    features: {agent_arch: dual-llm, content_blockers: [{name: url_blocker}]}\n";
    const result = await compileYaml(yaml);
    expect(result.compiled).toBeDefined();
    expect(errorLines(result)).toEqual([
      "sequrity.config.yaml:5:15: warning: X-Features is 73 bytes, over the budget of 40 (checks.max_header_bytes); proxies and servers often refuse headers this large (environment dev)",
    ]);
  });
});
