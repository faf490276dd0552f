import { describe, expect, it } from "vitest";
import { parseSqrt } from "../../src/check/index.js";
import { stripRanges } from "../../src/check/sqrt/ast.js";
import { fixtures } from "./fixtures.js";

describe("SQRT parser against the reference fixtures", () => {
  it("gives the reference verdict on every fixture program", () => {
    const mismatches = fixtures.filter((f) => parseSqrt(f.code).ok !== f.valid).map((f) => `${f.id}: reference ${f.valid ? "valid" : "invalid"}`);
    expect(mismatches).toEqual([]);
    expect(fixtures.length).toBe(600);
  });

  it("reports the error on the reference's line", () => {
    const withLine = fixtures.filter((f) => !f.valid && f.line !== undefined && f.line !== -1);
    const wrong: string[] = [];
    for (const f of withLine) {
      const d = parseSqrt(f.code).diagnostics[0];
      if (d?.line !== f.line) wrong.push(`${f.id}: reference line ${f.line}, ours ${d?.line}`);
    }
    const agreed = withLine.length - wrong.length;
    console.log(`SQRT error line agreement: ${agreed}/${withLine.length}`);
    expect(withLine.length).toBe(225);
    expect(wrong).toEqual([]);
  });

  it("reports end of input where the reference gave no line", () => {
    for (const f of fixtures.filter((x) => !x.valid && (x.line === undefined || x.line === -1))) {
      const d = parseSqrt(f.code).diagnostics[0];
      expect(d?.offset, f.id).toBe(f.code.length);
      expect(d?.message, f.id).toMatch(/found end of input/);
    }
  });
});

describe("SQRT parser: measured reference behaviour", () => {
  const accepted = [
    'let tool = {"a"};',
    "let tags = {};",
    "let x = inf;",
    "let x = {+inf};",
    'tool "a" { priority 1; priority 2; }',
    'tool "a" {}',
    "let x = 1 == 2;",
    "let x = a .value == 1;",
    "let x = a . tags;",
    'tool "a" { result { x.tags = {}; } }',
    "let x = int -5..-1;",
    'let x = datetime "2024";',
    'tool "a" -> session before @tags = {} when x;',
    "let x = not;",
    "let x = true;",
    'tool "a" { result { when.tags = {}; } }',
    "let x = union of tags from args | union;",
    "",
    "// only a comment\n/* and a block */",
  ];
  const rejected = [
    "let x = 1;",
    'let x = "s";',
    "let x = -5;",
    "let x = +inf;",
    "let x = {true};",
    'let x = {d"2024"};',
    'let x = r"a";',
    'tool w"a" {}',
    'let x = {"a",};',
    "let x = a.tags in {};",
    "let x = (a.tags) overlaps {};",
    "let x = a. value == 1;",
    "let x = 1.5..2;",
    'tool "a" { session { @tags = {}; } }',
    'TOOL "a" {}',
    "/* unterminated",
    "///doc only",
    "let x = - inf;",
    'tool "a" { result { when p { /// no docs here\n @tags = {}; } } }',
  ];
  it.each(accepted)("accepts %j", (code) => {
    expect(parseSqrt(code).diagnostics).toEqual([]);
  });
  it.each(rejected)("rejects %j", (code) => {
    expect(parseSqrt(code).ok).toBe(false);
  });
});

describe("SQRT parser: diagnostics", () => {
  const first = (code: string) => parseSqrt(code).diagnostics[0];

  it("points at the first token that cannot continue", () => {
    expect(first("let x = a.tags\n  foo;")).toMatchObject({ line: 2, column: 3, offset: 17, length: 3, code: "sqrt-syntax", severity: "error" });
    expect(first("let x = a.tags\n  foo;")?.message).toBe(
      "expected 'overlaps', 'subset of', 'superset of', '==', 'is empty', 'is universal' or ';', found 'foo'",
    );
  });

  it("says what was expected after what", () => {
    expect(first('tool "a" { priority 1 }')?.message).toBe("expected ';' after priority, found '}'");
    expect(first("let x = a.tags overlaps {}")?.message).toBe("expected ';' after let value, found end of input");
  });

  it("explains unterminated strings and comments", () => {
    expect(first('let x = {"abc};\n')).toMatchObject({ message: "unterminated string", line: 1, column: 10 });
    expect(first("let x = y;\n/* no end")).toMatchObject({ message: "unterminated block comment ('/*' without '*/')", line: 2, column: 1 });
  });

  it("hints at misspelt keywords", () => {
    expect(first('TOOL "a" {}')?.message).toBe("unknown keyword 'TOOL' (keywords are lower case): did you mean 'tool'? expected 'let' or 'tool', found 'TOOL'");
    expect(first('tool "a" { must alow always; }')?.message).toBe(
      "unknown keyword 'alow': did you mean 'allow'? expected 'allow' or 'deny' after 'must', found 'alow'",
    );
  });

  it("explains booleans in sets", () => {
    expect(first("let x = a.tags == {true};")?.message).toBe(
      "booleans in sets are written 'bool true' / 'bool false'; expected an element (string, r\"regex\", w\"wildcard\", number or type domain) after '{', found 'true'",
    );
  });

  it("rejects a doc comment where the grammar has none", () => {
    expect(first("let x = /// d\n y;")?.message).toMatch(/^expected a predicate or a set expression, found doc comment/);
  });
});

describe("SQRT parser: tree", () => {
  it("builds source ranges and keeps spellings", () => {
    const code = 'let P = x.value == "a";';
    const ast = parseSqrt(code).ast;
    const decl = ast?.declarations[0];
    expect(decl?.range).toEqual({ start: 0, end: code.length });
    expect(decl?.kind === "Let" && code.slice(decl.value.range.start, decl.value.range.end)).toBe('x.value == "a"');
    expect(stripRanges(decl)).toEqual({
      kind: "Let",
      docs: [],
      name: { kind: "Ident", name: "P" },
      value: { kind: "ValueEq", left: { kind: "Value", base: { kind: "Ident", name: "x" } }, right: { kind: "String", raw: '"a"' } },
    });
  });

  it("respects set operator precedence (xor < minus < intersect < union < with)", () => {
    const ast = parseSqrt("let s = a ^ b - c & d | e with 1;").ast;
    const decl = ast?.declarations[0];
    const shape = (e: unknown): string => {
      const n = e as { kind: string; op?: string; left?: unknown; right?: unknown; set?: unknown; name?: string };
      if (n.kind === "Ident") return n.name ?? "";
      if (n.kind === "SetWith") return `(${shape(n.set)} ${n.op} 1)`;
      return `(${shape(n.left)} ${n.op} ${shape(n.right)})`;
    };
    expect(decl?.kind === "Let" && shape(decl.value)).toBe("(a ^ (b - (c & (d | (e with 1)))))");
  });

  it("keeps doc comments on the declaration they precede, every byte of them", () => {
    const ast = parseSqrt('/// Blocks mail \t \ntool "send" { /// rule\n must deny always; }').ast;
    const tool = ast?.declarations[0];
    expect(tool?.docs.map((d) => d.text)).toEqual([" Blocks mail \t "]);
    expect(tool?.kind === "Tool" && tool.members[0]?.docs.map((d) => d.text)).toEqual([" rule"]);
  });

  it("leaves the CR of a CRLF line break out of a doc comment", () => {
    const ast = parseSqrt('/// a  \r\n///b\r\ntool "t" {}\r\n').ast;
    expect(ast?.declarations[0]?.docs).toEqual([
      { kind: "Doc", text: " a  ", range: { start: 0, end: 7 } },
      { kind: "Doc", text: "b", range: { start: 9, end: 13 } },
    ]);
  });
});

describe("SQRT parser: robustness", () => {
  const tooDeep = (offset: number) => ({
    severity: "error",
    code: "nesting-too-deep",
    message: "parentheses nested more than 1000 levels deep",
    offset,
    length: 1,
    line: 1,
    column: offset + 1,
  });

  it("refuses parentheses nested more than 1000 deep, at the parenthesis that opens level 1001", () => {
    expect(parseSqrt(`let x = ${"(".repeat(1001)}a${")".repeat(1001)};`).diagnostics).toEqual([tooDeep(8 + 1000)]);
    expect(parseSqrt(`let x = ${"(".repeat(200000)}a${")".repeat(200000)};`).diagnostics).toEqual([tooDeep(8 + 1000)]);
    const pred = `tool "t" { must deny when ${"(".repeat(600)}x.tags == ${"(".repeat(401)}a${")".repeat(401)}${")".repeat(600)}; }`;
    expect(parseSqrt(pred).diagnostics).toEqual([tooDeep(26 + 600 + 10 + 400)]);
  });

  it("parses 1000 levels of parentheses, in predicates and in sets", () => {
    expect(parseSqrt(`let x = ${"(".repeat(1000)}a${")".repeat(1000)};`).ok).toBe(true);
    expect(parseSqrt(`tool "t" { must deny when ${"(".repeat(1000)}a.tags is empty${")".repeat(1000)}; }`).ok).toBe(true);
    expect(parseSqrt(`tool "t" { must deny when ${"(".repeat(500)}a.tags == ${"(".repeat(500)}b${")".repeat(500)}${")".repeat(500)}; }`).ok).toBe(true);
  });

  it("builds a chain of 200,000 'not's without recursion", () => {
    const ast = parseSqrt(`let x = ${"not ".repeat(200000)}a;`).ast;
    let e = ast?.declarations[0]?.kind === "Let" ? ast.declarations[0].value : null;
    let nots = 0;
    while (e?.kind === "Not") {
      nots++;
      e = e.operand;
    }
    expect([nots, e]).toEqual([200000, { kind: "Ident", name: "a", range: { start: 800008, end: 800009 } }]);
  });
});
