import { describe, expect, it } from "vitest";
import { formatSqrt, minifySqrt, parseSqrt } from "../../src/check/index.js";
import fc from "fast-check";
import { sameTree, stripRanges } from "../../src/check/sqrt/ast.js";
import { fixtures } from "./fixtures.js";

const valid = fixtures.filter((f) => f.valid);
const tree = (code: string): unknown => stripRanges(parseSqrt(code).ast);

describe("formatSqrt on every valid fixture", () => {
  it("keeps the tree, doc comment bytes included, and is idempotent", () => {
    const problems: string[] = [];
    for (const f of valid) {
      const once = formatSqrt(f.code);
      if (!once.ok) {
        problems.push(`${f.id}: ${once.diagnostics[0]?.message}`);
        continue;
      }
      if (JSON.stringify(tree(once.text)) !== JSON.stringify(tree(f.code))) problems.push(`${f.id}: tree changed`);
      if (formatSqrt(once.text).text !== once.text) problems.push(`${f.id}: not idempotent`);
    }
    expect(problems).toEqual([]);
    expect(valid.length).toBe(348);
  });
});

describe("formatSqrt keeps doc comments byte for byte", () => {
  const docText = fc.string({ unit: fc.constantFrom(" ", "\t", "a", "/", "é", "\u{1f600}", "\f", "\u000b", "*", "\\") });
  const programs = valid.filter((f) => (parseSqrt(f.code).ast?.declarations.length ?? 0) > 0).map((f) => f.code);

  it("format(x) parses to the tree of x and format(format(x)) === format(x), with any doc text before any fixture", () => {
    fc.assert(
      fc.property(fc.constantFrom(...programs), docText, (code, doc) => {
        const x = `///${doc}\n${code}`;
        const once = formatSqrt(x);
        expect(once.ok).toBe(true);
        const tree = parseSqrt(once.text).ast;
        expect(tree?.declarations[0]?.docs[0]?.text).toBe(doc);
        expect(sameTree(tree, parseSqrt(x).ast)).toBe(true);
        expect(formatSqrt(once.text).text).toBe(once.text);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("prints trailing spaces of doc comments as written, and CRLF doc lines without their CR", () => {
    expect(formatSqrt('///  keep me  \t\ntool "a" {\n/// rule  \nmust deny always;}').text).toBe(
      '///  keep me  \t\ntool "a" {\n    /// rule  \n    must deny always;\n}\n',
    );
    expect(formatSqrt('/// crlf  \r\ntool "a" {}\r\n').text).toBe('/// crlf  \ntool "a" {}\n');
  });

  it("minify keeps them too", () => {
    expect(minifySqrt('/// doc  \ntool "a" { /// r \n must deny always; }').text).toBe('/// doc  \ntool "a"{\n/// r \nmust deny always;}');
  });
});

describe("formatSqrt layout", () => {
  it("lays out declarations, blocks and expressions", () => {
    const src =
      'let S={"a","b"}|@args . tags . union;tool "t" [ 5 ]->session  before @tags-={ -inf,+inf , int 1 .. 5}when(a or b);\n' +
      'tool "x"{priority 1;must deny when not x .value in {str matching r"^a" length ..< 10};result{@tags|=S;when p{@result.tags={};}}session after{}}';
    expect(formatSqrt(src).text).toBe(
      [
        'let S = {"a", "b"} | @args.tags.union;',
        'tool "t" [5] -> session before @tags -= {-inf, +inf, int 1..5} when (a or b);',
        'tool "x" {',
        "    priority 1;",
        '    must deny when not x.value in {str matching r"^a" length ..<10};',
        "    result {",
        "        @tags |= S;",
        "        when p {",
        "            @result.tags = {};",
        "        }",
        "    }",
        "    session after {}",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("keeps comments, doc comments and single blank lines in place", () => {
    const src = [
      "// header",
      "let A = x.tags is empty ;   // trailing   ",
      "",
      "",
      "",
      "/// Mail tool   ",
      'tool "send" { // open',
      "  /* own line */",
      "  must deny when A; /* after */",
      "",
      "  result { /* inline */ }",
      "  // last",
      "}",
    ].join("\n");
    expect(formatSqrt(src).text).toBe(
      [
        "// header",
        "let A = x.tags is empty; // trailing",
        "",
        "/// Mail tool   ",
        'tool "send" { // open',
        "    /* own line */",
        "    must deny when A; /* after */",
        "",
        "    result { /* inline */ }",
        "    // last",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("continues one level deeper after a line comment inside an expression", () => {
    const src = "let S = a | // why\n b;";
    const out = formatSqrt(src);
    expect(out.text).toBe("let S = a | // why\n    b;\n");
    expect(formatSqrt(out.text).text).toBe(out.text);
  });

  it("returns the input and the syntax error for invalid code", () => {
    const r = formatSqrt("let x = ;");
    expect(r.ok).toBe(false);
    expect(r.text).toBe("let x = ;");
    expect(r.diagnostics[0]).toMatchObject({ line: 1, column: 9, code: "sqrt-syntax" });
  });

  it("formats the empty program to the empty string", () => {
    expect(formatSqrt("  \n\n").text).toBe("");
  });
});

describe("minifySqrt", () => {
  it("keeps the tree of every valid fixture", () => {
    const problems = valid.filter((f) => {
      const m = minifySqrt(f.code);
      return !m.ok || JSON.stringify(tree(m.text)) !== JSON.stringify(tree(f.code)) || m.text.length > f.code.length;
    });
    expect(problems.map((f) => f.id)).toEqual([]);
  });

  it("drops comments and spaces but keeps doc comments", () => {
    const src = '// c\n/// Doc\ntool "a" { /* x */ must deny when r.value in {int 1 .. 5, str "a"} ; }\nlet x = a - inf;';
    expect(minifySqrt(src)).toEqual({ ok: true, text: '/// Doc\ntool "a"{must deny when r.value in{int 1..5,str "a"};}let x=a- inf;', diagnostics: [] });
  });

  it("refuses invalid code", () => {
    const m = minifySqrt("let = 1;");
    expect(m.ok).toBe(false);
    expect(m.text).toBe("let = 1;");
  });
});

describe("review regressions", () => {
  it("keeps a comment after the last declaration at the top level", () => {
    expect(formatSqrt("let x = {};\n// c\n").text).toBe("let x = {};\n// c\n");
    expect(formatSqrt('tool "a" {}\n/* c */\n').text).toBe('tool "a" {}\n/* c */\n');
  });

  it("minify keeps `- inf` apart from a range before it", () => {
    const r = minifySqrt("let x = a.tags with int 1.. - inf;");
    expect(r.ok).toBe(true);
    expect(r.text).toBe("let x=a.tags with int 1..- inf;");
    expect(minifySqrt("let x = {int 1..-inf};").text).toBe("let x={int 1..-inf};");
  });
});
