// Kleene logic, the regex readings of D2, wildcards, type domains and string contents (D14).
import { describe, expect, it } from "vitest";
import { parseSqrt } from "../../src/check/sqrt/parser.js";
import type * as A from "../../src/check/sqrt/ast.js";
import { emptyTrace } from "../../src/simulate/decisions.js";
import { parseInstant } from "../../src/simulate/instants.js";
import { and, not, or, type Tri } from "../../src/simulate/kleene.js";
import { compileElement, decodeString, matchesValue, type Value } from "../../src/simulate/patterns.js";
import { PythonRegex } from "../../src/simulate/regex-readings.js";

describe("Kleene logic", () => {
  const V: Tri[] = [true, false, null];
  const name = (x: Tri) => (x === null ? "unknown" : String(x));
  it("not: unknown stays unknown", () => expect(V.map(not)).toEqual([false, true, null]));
  it("and: false wins, then unknown", () => {
    const table = V.flatMap((a) => V.map((b) => `${name(a)} and ${name(b)} = ${name(and(a, b))}`));
    expect(table).toEqual([
      "true and true = true",
      "true and false = false",
      "true and unknown = unknown",
      "false and true = false",
      "false and false = false",
      "false and unknown = false",
      "unknown and true = unknown",
      "unknown and false = false",
      "unknown and unknown = unknown",
    ]);
  });
  it("or: true wins, then unknown", () => {
    const table = V.flatMap((a) => V.map((b) => `${name(a)} or ${name(b)} = ${name(or(a, b))}`));
    expect(table).toEqual([
      "true or true = true",
      "true or false = true",
      "true or unknown = true",
      "false or true = true",
      "false or false = false",
      "false or unknown = unknown",
      "unknown or true = true",
      "unknown or false = unknown",
      "unknown or unknown = unknown",
    ]);
  });
});

describe("regex readings (D2)", () => {
  const test = (p: string, s: string) => new PythonRegex(p).test(s);
  it("known when fullmatch, match and search agree", () => {
    expect(test(".*@trustedcorp\\.com", "a@trustedcorp.com")).toEqual({ known: true, value: true });
    expect(test(".*@trustedcorp\\.com", "a@gmail.com")).toEqual({ known: true, value: false });
  });
  it("unknown when they disagree: a suffix after the match", () => {
    expect(test(".*@trustedcorp\\.com", "a@trustedcorp.com.evil.io")).toEqual({
      known: false,
      why: "the readings disagree: fullmatch false, match true, search true",
    });
  });
  it("unknown when only search finds it", () => {
    expect(test("evil", "not-evil-at-all")).toEqual({ known: false, why: "the readings disagree: fullmatch false, match false, search true" });
  });
  it("anchored patterns read the same under all three", () => {
    expect(test("^[a-z]+$", "abc")).toEqual({ known: true, value: true });
    expect(test("^[a-z]+$", "ab1")).toEqual({ known: true, value: false });
  });
  it("Python-only syntax is unknown, never a guess", () => {
    expect(test("(?P<user>\\w+)@x", "a@x")).toMatchObject({ known: false });
    expect(test("\\Aabc\\Z", "abc")).toMatchObject({ known: false, why: "'\\A' is a Python-only anchor (JavaScript reads it as the letter 'A')" });
    expect(test("(?i)abc", "ABC")).toMatchObject({ known: false });
    expect(test("a{,2}", "aa")).toEqual({
      known: false,
      why: "'{,n}' is 0 to n repetitions in Python, but the literal text '{,n}' in JavaScript; write '{0,n}'",
    });
    expect(test("(a)?\\1", "")).toMatchObject({ known: false });
    expect(test("[]a]", "]")).toMatchObject({ known: false });
    expect(test("(?<n>a)", "a")).toMatchObject({ known: false });
    expect(test("\\a", "a")).toMatchObject({ known: false });
  });
  it("constructs that agree only on some text are unknown on the rest", () => {
    expect(test("^\\w+$", "abc")).toEqual({ known: true, value: true });
    expect(test("^\\w+$", "héllo")).toEqual({ known: false, why: "\\d, \\w, \\s and \\b are Unicode-aware in Python; not simulated on this text" });
    expect(test("^a.b$", "a\rb")).toEqual({ known: false, why: "'.' matches \\r, U+2028 and U+2029 in Python but not in JavaScript" });
    expect(test("^ab$", "ab\n")).toEqual({ known: false, why: "'$' also matches before a final newline in Python" });
    expect(test("^.$", "😀")).toEqual({ known: true, value: true });
  });
  it("an exponentially backtracking match is cut off as unknown", () => {
    expect(test("^(a+)+$", `${"a".repeat(40)}!`)).toEqual({ known: false, why: "matching took longer than 250 ms (the pattern backtracks exponentially)" });
  });
});

function element(src: string): ReturnType<typeof compileElement> {
  const parsed = parseSqrt(`let x = {${src}};`);
  const let_ = parsed.ast?.declarations[0] as A.LetDecl;
  return compileElement((let_.value as A.SetLiteral).elements[0] as A.Element);
}
const matches = (src: string, v: Value) => matchesValue(element(src).element, v, emptyTrace());

describe("set elements (policy-semantics.md, the element table)", () => {
  it('"s" matches that string only', () => expect([matches('"1"', "1"), matches('"1"', 1), matches('"a"', "ab")]).toEqual([true, false, false]));
  it("a number matches an equal number (1 == 1.0), never a bool or a string", () =>
    expect([matches("1", 1), matches("1.0", 1), matches("1", true), matches("1", "1")]).toEqual([true, true, false, false]));
  it('r"p" matches by Python re; w"p" matches whole strings, * any run, ? one character', () => {
    expect([matches('r"^a.c$"', "abc"), matches('r"^a.c$"', 1)]).toEqual([true, false]);
    expect([
      matches('w"*@university.edu"', "x@university.edu"),
      matches('w"*@university.edu"', "x@university.edu.cn"),
      matches('w"a?c"', "abc"),
      matches('w"a?c"', "aXXc"),
    ]).toEqual([true, false, true, false]);
    expect([matches('w"A*"', "abc"), matches('w"a.c"', "abc"), matches('w"a.c"', "a.c")]).toEqual([false, false, true]);
  });
  it('str "s", str matching, str like, with length in code points', () => {
    expect([matches('str "x"', "x"), matches('str "x"', "y")]).toEqual([true, false]);
    expect([matches('str matching r"^a+$" length 1..2', "aa"), matches('str matching r"^a+$" length 1..2', "aaa")]).toEqual([true, false]);
    expect([matches('str like w"*" length 2', "😀😀"), matches('str like w"*" length 2', "abc")]).toEqual([true, false]);
  });
  it("int R: integers and floats without fraction, not bools; float R: any number", () => {
    expect([matches("int 1..10", 5), matches("int 1..10", 5.0), matches("int 1..10", 5.5), matches("int 1..10", true), matches("int 1..10", 11)]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect([matches("float ..<1.5", 1.4), matches("float ..<1.5", 1.5), matches("float ..<1.5", false)]).toEqual([true, false, false]);
  });
  it("ranges: inclusive, exclusive either side, open ends, a single value, inf", () => {
    expect([matches("int 0<..10", 0), matches("int 0<..10", 10), matches("int 0..<10", 10), matches("int 0<..<10", 5)]).toEqual([false, true, false, true]);
    expect([matches("int 10..", 1000000), matches("int ..50", -3), matches("int 42", 42), matches("int 42", 43)]).toEqual([true, true, true, false]);
    expect([matches("float -inf..inf", -1e300), matches("int -5..-1", -3)]).toEqual([true, true]);
  });
  it("bool b matches that boolean only", () =>
    expect([matches("bool true", true), matches("bool true", 1), matches("bool false", false)]).toEqual([true, false, true]));
  it("datetime: ISO 8601 with Z or an offset, a date alone at midnight UTC, or epoch seconds", () => {
    const range = 'datetime d"2023-09-01T00:00:00Z"..d"2023-10-01T00:00:00Z"';
    expect([
      matches(range, "2023-09-15T12:00:00Z"),
      matches(range, "2023-09-30T23:00:00-02:00"),
      matches(range, "2023-10-01"),
      matches(range, 1694779200),
    ]).toEqual([true, false, true, true]);
    expect([matches(range, "2023-09-15T12:00:00"), matches(range, "yesterday"), matches(range, true)]).toEqual([false, false, false]);
    expect([matches("datetime 0", "1970-01-01T00:00:00Z"), matches('datetime "2024-02-29"', "2024-02-29T00:00:00+00:00")]).toEqual([true, true]);
    expect(parseInstant("2023-02-29")).toBeUndefined();
    expect(element('datetime "2024"').notes).toEqual(['datetime literal "2024" is not an ISO 8601 instant with a zone; it matches nothing']);
  });
});

describe("string contents (D14)", () => {
  it('in "…", \\" and \\\\ are escapes and every other backslash pair stays', () => {
    expect(decodeString('"a\\"b"')).toBe('a"b');
    expect(decodeString('"a\\\\b"')).toBe("a\\b");
    expect(decodeString('"a\\nb"')).toBe("a\\nb");
  });
  it('r"…" is raw: r"a\\\\.b" is the regex a\\\\.b, a backslash then any character', () => {
    expect(matches('r"^a\\\\.b$"', "a\\xb")).toBe(true);
    expect(matches('r"^a\\\\.b$"', "a.b")).toBe(false);
  });
  it("D14 is recorded only where the reading matters", () => {
    expect(element('r"a\\.b"').mask).toBe(0);
    expect(element('r"a\\\\.b"').mask).toBe(1 << 14);
    expect(element('"a\\\\b"').mask).toBe(0);
    expect(element('"a\\nb"').mask).toBe(1 << 14);
  });
});
