import { describe, expect, it } from "vitest";
import { checkPolicyCode, lintSqrt, parseSqrt } from "../../src/check/index.js";
import { regexProblems } from "../../src/check/sqrt/regex.js";

const lint = (code: string) => checkPolicyCode(code, "sqrt");

describe("SQRT lints", () => {
  it("undefined-name: bare identifiers need a let; x.tags / x.value are tool arguments", async () => {
    const code = 'let A = x.tags is empty;\ntool "t" {\n    must deny when A or B or y.value == 1;\n    result { @tags |= C; }\n}';
    expect(await lint(code)).toEqual([
      { severity: "warning", code: "undefined-name", message: "'B' is not defined by any let (to use a tool argument, write 'B.tags' or 'B.value')", offset: 60, length: 1, line: 3, column: 25 },
      { severity: "warning", code: "undefined-name", message: "'C' is not defined by any let (to use a tool argument, write 'C.tags' or 'C.value')", offset: 101, length: 1, line: 4, column: 23 },
    ]);
  });

  it("undefined-name: a let may be used before it is defined", async () => {
    expect(await lint('tool "t" { must deny when Later; }\nlet Later = x.tags is empty;')).toEqual([]);
  });

  it("duplicate-let", async () => {
    expect(await lint("let A = x.tags is empty;\nlet A = y.tags is empty;")).toEqual([
      { severity: "warning", code: "duplicate-let", message: "'A' is already defined by the let on line 1", offset: 29, length: 1, line: 2, column: 5 },
    ]);
  });

  it("duplicate-tool: two blocks with the same id; shorthands do not count", async () => {
    const code = 'tool "a" { must allow always; }\ntool r"a" {}\ntool "a" -> @tags = {};\ntool "a" {}';
    expect(await lint(code)).toEqual([
      { severity: "warning", code: "duplicate-tool", message: 'tool "a" is already declared on line 1 (merge the two blocks)', offset: 74, length: 3, line: 4, column: 6 },
    ]);
  });

  it("bad-regex", async () => {
    const code = 'tool r"(?P<name>x)" {}\nlet S = {str matching r"^[a-z]+$", r"\\d+"};';
    expect(await lint(code)).toEqual([
      { severity: "warning", code: "bad-regex", message: 'regex r"(?P<name>x)": \'(?P<name>...)\' / \'(?P=name)\' are Python named-group syntax (JavaScript uses \'(?<name>...)\' / \'\\k<name>\')', offset: 5, length: 14, line: 1, column: 6 },
    ]);
  });

  it("bad-regex: the chosen set of divergences", () => {
    expect(regexProblems("a(b")).toEqual(["does not compile: /a(b/: Unterminated group"]);
    expect(regexProblems("\\Aabc\\Z")[0]).toMatch(/'\\A' is a Python-only anchor/);
    expect(regexProblems("(?>ab)")[0]).toMatch(/atomic groups/);
    expect(regexProblems("a*+")[0]).toMatch(/possessive/);
    expect(regexProblems("(?i)abc")[0]).toMatch(/inline flags like '\(\?i\)' are Python only/);
    expect(regexProblems("abc(?i)")[0]).toMatch(/not at the start/);
    expect(regexProblems("[[:alpha:]]")[0]).toMatch(/POSIX classes/);
    expect(regexProblems("\\h")[0]).toMatch(/not a valid escape in Python/);
    expect(regexProblems("^[a-z]+\\.com\\b[$]\\d{3}(?<=x)")).toEqual([]);
  });

  it("unreachable-rule: after an unconditional rule of at least the same strength, same block only", async () => {
    const code = [
      'tool "t" {',
      "    should allow always;",
      "    must deny when x;", // stronger: still reachable
      "    soft deny when y;", // unreachable
      "    hard deny always;",
      "    must allow when z;", // unreachable
      "}",
      'tool "t" { must allow when w; }',
    ].join("\n");
    expect((await lint(code)).filter((i) => i.code !== "undefined-name")).toEqual([
      { severity: "warning", code: "unreachable-rule", message: 'this rule can never apply: \'should allow always\' on line 2 already decides every call to tool "t"', offset: 62, length: 17, line: 4, column: 5 },
      { severity: "warning", code: "unreachable-rule", message: 'this rule can never apply: \'hard deny always\' on line 5 already decides every call to tool "t"', offset: 106, length: 18, line: 6, column: 5 },
      { severity: "warning", code: "duplicate-tool", message: 'tool "t" is already declared on line 1 (merge the two blocks)', offset: 132, length: 3, line: 8, column: 6 },
    ]);
  });

  it("lintSqrt returns shared diagnostics with locations", () => {
    const code = "let A = B;";
    const ast = parseSqrt(code).ast;
    expect(ast && lintSqrt(ast, code, "p.sqrt")).toEqual([
      { severity: "warning", code: "undefined-name", message: "'B' is not defined by any let (to use a tool argument, write 'B.tags' or 'B.value')", location: { file: "p.sqrt", line: 1, column: 9, length: 1 } },
    ]);
  });

  it("lint can be switched off", async () => {
    expect(await checkPolicyCode("let A = B;", "sqrt", { lint: false })).toEqual([]);
  });
});
