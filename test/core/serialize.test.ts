// The serializer's Python forms, in-process: repr(float), json.dumps escapes and separators.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { floatRepr, pyDumps, quote } from "../../src/serialize/pyjson.js";
import { PyFloat, type PyValue } from "../../src/serialize/pyvalue.js";

describe("floatRepr is Python's repr(float)", () => {
  it.each([
    [1, "1.0"],
    [0.5, "0.5"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1e16, "1e+16"],
    [1.5e16, "1.5e+16"],
    [9999999999999998, "9999999999999998.0"],
    [123456789.125, "123456789.125"],
    [-2, "-2.0"],
    [0, "0.0"],
    [-0, "-0.0"],
    [0.1 + 0.2, "0.30000000000000004"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [1e22, "1e+22"],
    [1.2345678901234568e20, "1.2345678901234568e+20"],
  ])("%s → %s", (x, expected) => {
    expect(floatRepr(x)).toBe(expected);
  });

  it("refuses non-finite numbers", () => {
    expect(() => floatRepr(Infinity)).toThrow(RangeError);
    expect(() => floatRepr(NaN)).toThrow(RangeError);
  });
});

describe("pyDumps is json.dumps", () => {
  it("escapes like Python: short escapes, \\u00XX controls and DEL, lowercase \\uXXXX, surrogate pairs, / raw", () => {
    expect(quote('a"b\\c\n\r\t\b\f\u0001\u007f/é☃🙂')).toBe('"a\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u007f/\\u00e9\\u2603\\ud83d\\ude42"');
  });

  it("escapes every UTF-16 code unit as Python's json.dumps does, with ensure_ascii on and off", () => {
    // Python's rules, written out: printable ASCII but " and \ as is; short escapes; other controls
    // (and, with ensure_ascii, DEL and everything beyond ASCII, lone surrogates included) as \uxxxx.
    const short: Record<number, string> = { 0x22: '\\"', 0x5c: "\\\\", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0c: "\\f" };
    const python = (c: number, ascii: boolean) =>
      short[c] ?? (c < 0x20 || (ascii && c >= 0x7f) ? `\\u${c.toString(16).padStart(4, "0")}` : String.fromCharCode(c));
    for (const ascii of [true, false]) {
      for (let c = 0; c <= 0xffff; c++) {
        const ch = String.fromCharCode(c);
        if (quote(`a${ch}b`, ascii) !== `"a${python(c, ascii)}b"`) expect([c, quote(`a${ch}b`, ascii)]).toEqual([c, `"a${python(c, ascii)}b"`]);
      }
    }
  });

  it("uses Python's separators and keeps map order, ints and floats apart", () => {
    const v: PyValue = new Map<string, PyValue>([
      ["b", 1],
      ["50256", new PyFloat(2)],
      ["a", [true, false, null, "x", 12345678901234567890n]],
      ["e", new Map()],
      ["l", []],
    ]);
    expect(pyDumps(v)).toBe('{"b": 1, "50256": 2.0, "a": [true, false, null, "x", 12345678901234567890], "e": {}, "l": []}');
  });

  it("round-trips through JSON.parse for any JSON value", () => {
    const toPy = (x: unknown): PyValue => {
      if (Array.isArray(x)) return x.map(toPy);
      if (x && typeof x === "object") return new Map(Object.entries(x).map(([k, v]) => [k, toPy(v)]));
      if (typeof x === "number") return Number.isSafeInteger(x) ? x : new PyFloat(x);
      return x as PyValue;
    };
    // Any code point but a lone surrogate: the set of fast-check's "binary" unit, which takes seconds
    // to set up before its first value.
    const codePoint = fc.integer({ min: 0, max: 0x10ffff - 0x800 }).map((n) => String.fromCodePoint(n < 0xd800 ? n : n + 0x800));
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: codePoint }), (x) => {
        // JSON.parse gives -0 as 0 through integers; compare via JSON text of both sides.
        expect(JSON.stringify(JSON.parse(pyDumps(toPy(x))))).toBe(JSON.stringify(x));
      }),
      { numRuns: 300, seed: 1 },
    );
  });
});
