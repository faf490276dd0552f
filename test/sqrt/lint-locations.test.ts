// A lint that cites another rule gives that rule's place in the user's file: the YAML line when the
// code is written inline, the .sqrt line for a policy file.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { policyCheck } from "../../src/cli/policy.js";
import { compileYaml, errorLines, freshDir } from "../helpers.js";
import { capture } from "./capture.js";

const RULES = ['tool "t" {', "    hard allow always;", '    should deny when x.tags overlaps {"secret"};', '    hard deny when x.tags overlaps {"top"};', "}"];
const WARNING = "this rule can never apply: 'hard allow always' applies to every call to tool \"t\", and hard rules are taken before soft ones";

describe("notes citing another rule", () => {
  it("inline YAML code: the note gives the YAML line and column of the cited rule", async () => {
    const yaml = ["version: 1", "environments:", "  prod:", "    policy:", "      codes:", "        code: |", ...RULES.map((l) => `          ${l}`), ""].join(
      "\n",
    );
    const result = await compileYaml(yaml);
    expect(result.compiled).toBeDefined();
    expect(errorLines(result)).toEqual([
      `sequrity.config.yaml:9:15: warning: ${WARNING} (environment prod)`,
      "  note: sequrity.config.yaml:8:15: 'hard allow always' is here",
    ]);
  });

  it("code merged from a policy file and an $append: each note points into the file that wrote the cited rule", async () => {
    const yaml = [
      "version: 1",
      "environments:",
      "  prod:",
      "    policy:",
      "      codes:",
      "        file: base.sqrt",
      "  staging:",
      "    extends: prod",
      "    policy:",
      "      codes:",
      "        code:",
      "          $append: |",
      '            tool "t" { should allow when y.tags is empty; }',
      "",
    ].join("\n");
    const result = await compileYaml(yaml, { "base.sqrt": 'tool "t" {\n    should deny always;\n}\n' });
    expect(errorLines(result)).toEqual([
      'sequrity.config.yaml:13:18: warning: tool "t" is already declared (merge the two blocks) (environment staging)',
      '  note: base.sqrt:1:6: the first block for tool "t" is here',
      "sequrity.config.yaml:13:24: warning: this rule can never apply: 'should deny always' already decides every call to tool \"t\" (environment staging)",
      "  note: base.sqrt:2:5: 'should deny always' is here",
    ]);
  });

  it("policy check: the note and the JSON 'related' entries give the line in the .sqrt file", async () => {
    const file = join(freshDir("sqrt-notes-"), "p.sqrt");
    writeFileSync(file, ["// header", "", ...RULES, ""].join("\n"));
    const text = capture();
    expect(await policyCheck([file], { format: "text", strict: false }, text.io)).toBe(0);
    expect(text.out.stderr).toBe(
      `${file}:5:5: warning: ${WARNING}\n` +
        '  5 |     should deny when x.tags overlaps {"secret"};\n' +
        "    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n" +
        `  note: ${file}:4:5: 'hard allow always' is here\n` +
        "1 warning\n",
    );
    const json = capture();
    expect(await policyCheck([file], { format: "json", strict: false }, json.io)).toBe(0);
    expect(JSON.parse(json.out.stdout)).toEqual([
      {
        file,
        valid: true,
        errors: [],
        warnings: [
          { line: 5, column: 5, message: WARNING, code: "unreachable-rule", related: [{ line: 4, column: 5, message: "'hard allow always' is here" }] },
        ],
      },
    ]);
  });
});
