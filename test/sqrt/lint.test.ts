import { describe, expect, it } from "vitest";
import { checkPolicyCode, lintSqrt, parseSqrt } from "../../src/check/index.js";
import { regexProblems } from "../../src/check/sqrt/regex.js";

const lint = (code: string) => checkPolicyCode(code, "sqrt");

describe("SQRT lints", () => {
  it("undefined-name: bare identifiers need a let; x.tags / x.value are tool arguments", async () => {
    const code = 'let A = x.tags is empty;\ntool "t" {\n    must deny when A or B or y.value == 1;\n    result { @tags |= C; }\n}';
    expect(await lint(code)).toEqual([
      {
        severity: "warning",
        code: "undefined-name",
        message: "'B' is not defined by any let (to use a tool argument, write 'B.tags' or 'B.value')",
        offset: 60,
        length: 1,
        line: 3,
        column: 25,
      },
      {
        severity: "warning",
        code: "undefined-name",
        message: "'C' is not defined by any let (to use a tool argument, write 'C.tags' or 'C.value')",
        offset: 101,
        length: 1,
        line: 4,
        column: 23,
      },
    ]);
  });

  it("undefined-name: a let may be used before it is defined", async () => {
    expect(await lint('tool "t" { must deny when Later; }\nlet Later = x.tags is empty;')).toEqual([]);
  });

  it("duplicate-let: the first definition is a related offset", async () => {
    expect(await lint("let A = x.tags is empty;\nlet A = y.tags is empty;")).toEqual([
      {
        severity: "warning",
        code: "duplicate-let",
        message: "'A' is already defined by an earlier let",
        offset: 29,
        length: 1,
        line: 2,
        column: 5,
        related: [{ offset: 4, length: 1, message: "the first 'A' is here" }],
      },
    ]);
  });

  it("duplicate-tool: two blocks with the same id; shorthands do not count", async () => {
    const code = 'tool "a" { must allow always; }\ntool r"a" {}\ntool "a" -> @tags = {};\ntool "a" {}';
    expect(await lint(code)).toEqual([
      {
        severity: "warning",
        code: "duplicate-tool",
        message: 'tool "a" is already declared (merge the two blocks)',
        offset: 74,
        length: 3,
        line: 4,
        column: 6,
        related: [{ offset: 5, length: 3, message: 'the first block for tool "a" is here' }],
      },
    ]);
  });

  it("duplicate-tool: blocks of different priorities order rules and are not duplicates", async () => {
    const code =
      'tool "a" { priority 5; must allow when x; }\ntool "a" { must deny when y; }\ntool "a" { priority 5; should deny when z; }\ntool "a" [5] -> @tags = {};';
    expect((await lint(code)).filter((i) => i.code === "duplicate-tool")).toEqual([
      {
        severity: "warning",
        code: "duplicate-tool",
        message: 'tool "a" with priority 5 is already declared (merge the two blocks)',
        offset: 80,
        length: 3,
        line: 3,
        column: 6,
        related: [{ offset: 5, length: 3, message: 'the first block for tool "a" with priority 5 is here' }],
      },
    ]);
  });

  it("duplicate-tool: the last priority member of a block counts", async () => {
    const code = 'tool "a" { priority 1; priority 2; }\ntool "a" { priority 2; }\ntool "a" { priority 1; }';
    expect((await lint(code)).map((i) => [i.code, i.line])).toEqual([["duplicate-tool", 2]]);
  });

  it("bad-regex", async () => {
    const code = 'tool r"(?P<name>x)" {}\nlet S = {str matching r"^[a-z]+$", r"\\d+"};';
    expect(await lint(code)).toEqual([
      {
        severity: "warning",
        code: "bad-regex",
        message: "regex r\"(?P<name>x)\": '(?P<name>...)' / '(?P=name)' are Python named-group syntax (JavaScript uses '(?<name>...)' / '\\k<name>')",
        offset: 5,
        length: 14,
        line: 1,
        column: 6,
      },
    ]);
  });

  it('bad-regex reads a raw literal as written (D14): r"\\\\h" is a backslash then h, not the unknown escape \\h', async () => {
    // The SQRT text is r"\\h" (two backslashes): the regex an escaped backslash, then the letter h.
    expect(await lint('let S = {r"\\\\h"};')).toEqual([]);
    expect((await lint('let S = {r"\\h"};')).map((i) => i.code)).toEqual(["bad-regex"]);
  });

  it("bad-regex: a long regex is quoted cut short", async () => {
    const raw = `r"${"(?:a)".repeat(200000)}(?P<x>b)"`;
    expect(await lint(`let S = {${raw}};`)).toEqual([
      {
        severity: "warning",
        code: "bad-regex",
        message: `regex ${raw.slice(0, 57)}...: '(?P<name>...)' / '(?P=name)' are Python named-group syntax (JavaScript uses '(?<name>...)' / '\\k<name>')`,
        offset: 9,
        length: raw.length,
        line: 1,
        column: 10,
      },
    ]);
  });

  it("bad-regex: the chosen set of divergences", () => {
    expect(regexProblems("a(b")).toEqual(["does not compile: Unterminated group"]);
    expect(regexProblems("a/(b/: x(")).toEqual(["does not compile: Unterminated group"]);
    expect(regexProblems("\\Aabc\\Z")[0]).toMatch(/'\\A' is a Python-only anchor/);
    expect(regexProblems("(?>ab)")[0]).toMatch(/atomic groups/);
    expect(regexProblems("a*+")[0]).toMatch(/possessive/);
    expect(regexProblems("(?i)abc")[0]).toMatch(/inline flags like '\(\?i\)' are Python only/);
    expect(regexProblems("abc(?i)")[0]).toMatch(/not at the start/);
    expect(regexProblems("[[:alpha:]]")[0]).toMatch(/POSIX classes/);
    expect(regexProblems("\\h")[0]).toMatch(/not a valid escape in Python/);
    expect(regexProblems("a{,3}")).toEqual(["'{,n}' is 0 to n repetitions in Python, but the literal text '{,n}' in JavaScript; write '{0,n}'"]);
    expect(regexProblems("a{0,3}\\{,3}[{,3}]")).toEqual([]);
    expect(regexProblems("^[a-z]+\\.com\\b[$]\\d{3}(?<=x)")).toEqual([]);
  });

  /** [line, message, related offsets] of the unreachable-rule warnings. */
  const unreachable = async (lines: string[]) =>
    (await lint(lines.join("\n"))).filter((i) => i.code === "unreachable-rule").map((i) => [i.line, i.message, i.related?.map((r) => r.message)]);

  it("unreachable-rule: the exact issue, located at the rule after its doc comment, citing the rule by offset", async () => {
    const code = 'tool "t" {\n    should deny always;\n    /// why\n    should allow when x;\n}';
    expect((await lint(code)).filter((i) => i.code === "unreachable-rule")).toEqual([
      {
        severity: "warning",
        code: "unreachable-rule",
        message: "this rule can never apply: 'should deny always' already decides every call to tool \"t\"",
        offset: 51,
        length: 20,
        line: 4,
        column: 5,
        related: [{ offset: 15, length: 19, message: "'should deny always' is here" }],
      },
    ]);
  });

  it("unreachable-rule: a hard deny after 'hard allow always' still decides (D12)", async () => {
    expect(await unreachable(['tool "t" {', "    hard allow always;", '    hard deny when x.tags overlaps {"secret"};', "}"])).toEqual([]);
  });

  it("unreachable-rule: 'hard deny always' shadows every allow and soft rule, wherever it stands", async () => {
    expect(
      await unreachable(['tool "t" {', "    hard allow when x;", "    should deny when y;", "    must deny always;", "    hard deny when z;", "}"]),
    ).toEqual([
      [
        2,
        "this rule can never apply: 'must deny always' denies every call to tool \"t\", and a hard deny wins over a hard allow",
        ["'must deny always' is here"],
      ],
      [
        3,
        "this rule can never apply: 'must deny always' applies to every call to tool \"t\", and hard rules are taken before soft ones",
        ["'must deny always' is here"],
      ],
      [5, "this rule can never apply: 'must deny always' already decides every call to tool \"t\"", ["'must deny always' is here"]],
    ]);
  });

  it("unreachable-rule: 'hard allow always' shadows soft rules and later hard allows, not hard denies", async () => {
    expect(
      await unreachable(['tool "t" {', "    should deny when y;", "    hard allow always;", "    must allow when z;", "    must deny when w;", "}"]),
    ).toEqual([
      [
        2,
        "this rule can never apply: 'hard allow always' applies to every call to tool \"t\", and hard rules are taken before soft ones",
        ["'hard allow always' is here"],
      ],
      [4, "this rule can never apply: 'hard allow always' already decides every call to tool \"t\"", ["'hard allow always' is here"]],
    ]);
  });

  it("unreachable-rule: after 'should deny always' a soft allow is unreachable, a hard rule is not (D7)", async () => {
    expect(
      await unreachable([
        'tool "t" {',
        "    should allow when a;",
        "    should deny always;",
        "    soft allow when b;",
        "    must deny when c;",
        "    must allow when d;",
        "}",
      ]),
    ).toEqual([[4, "this rule can never apply: 'should deny always' already decides every call to tool \"t\"", ["'should deny always' is here"]]]);
  });

  it("unreachable-rule: soft rules across blocks of one id go by block priority, then source order", async () => {
    expect(
      await unreachable([
        'tool "t" { soft allow when a; }', // priority 0, after the priority-5 'always': unreachable
        'tool "t" { priority 5; should deny always; }',
        'tool "t" { priority 9; should allow when b; }', // higher priority: taken first
        'tool "t" { priority 5; should allow when c; }', // same priority, later in the file: unreachable
        'tool "u" { should allow when d; }', // another tool
        'tool r"t" { should allow when e; }', // another id literal: not compared
      ]),
    ).toEqual([
      [
        1,
        "this rule can never apply: 'should deny always' already decides every call to tool \"t\" (its block has a higher priority)",
        ["'should deny always' is here"],
      ],
      [4, "this rule can never apply: 'should deny always' already decides every call to tool \"t\"", ["'should deny always' is here"]],
    ]);
  });

  it("unreachable-rule: the earliest 'always' in resolution order is the one cited", async () => {
    expect(await unreachable(['tool "t" { should deny always; should allow always; }', 'tool "t" { priority 1; soft allow always; }'])).toEqual([
      [
        1,
        "this rule can never apply: 'soft allow always' already decides every call to tool \"t\" (its block has a higher priority)",
        ["'soft allow always' is here"],
      ],
      [
        1,
        "this rule can never apply: 'soft allow always' already decides every call to tool \"t\" (its block has a higher priority)",
        ["'soft allow always' is here"],
      ],
    ]);
  });

  it("lintSqrt turns related offsets into located notes", () => {
    const code = 'tool "t" {\n    must deny always;\n    must deny when x;\n}';
    const ast = parseSqrt(code).ast;
    expect(ast && lintSqrt(ast, code, "p.sqrt").filter((d) => d.code === "unreachable-rule")).toEqual([
      {
        severity: "warning",
        code: "unreachable-rule",
        message: "this rule can never apply: 'must deny always' already decides every call to tool \"t\"",
        location: { file: "p.sqrt", line: 3, column: 5, length: 17 },
        notes: ["p.sqrt:2:5: 'must deny always' is here"],
      },
    ]);
  });

  it("lintSqrt returns shared diagnostics with locations", () => {
    const code = "let A = B;";
    const ast = parseSqrt(code).ast;
    expect(ast && lintSqrt(ast, code, "p.sqrt")).toEqual([
      {
        severity: "warning",
        code: "undefined-name",
        message: "'B' is not defined by any let (to use a tool argument, write 'B.tags' or 'B.value')",
        location: { file: "p.sqrt", line: 1, column: 9, length: 1 },
      },
    ]);
  });

  it("lint can be switched off", async () => {
    expect(await checkPolicyCode("let A = B;", "sqrt", { lint: false })).toEqual([]);
  });
});
