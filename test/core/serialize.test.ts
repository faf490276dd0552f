// The serializer against Python itself: python3 runs json.dumps / repr on the same values.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../../src/serialize/dump.js";
import { floatRepr, pyDumps, quote } from "../../src/serialize/pyjson.js";
import { PyFloat, type PyValue } from "../../src/serialize/pyvalue.js";

/** Runs Python over one JSON document on stdin and returns its stdout lines. */
function python(script: string, input: unknown): string[] {
  const out = execFileSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  return out.split("\n").slice(0, -1);
}

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

  it("agrees with python3 on 2,000 random doubles", () => {
    const xs = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 2000, seed: 42 });
    // Pass the exact bits as hex so nothing is lost on the way to Python.
    const hex = xs.map((x) => {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(x);
      return b.toString("hex");
    });
    const py = python("import sys,json,struct\nfor h in json.load(sys.stdin): print(repr(struct.unpack('>d', bytes.fromhex(h))[0]))", hex);
    expect(xs.map(floatRepr)).toEqual(py);
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

  it("agrees with python3 on random strings (full Unicode)", () => {
    const strings = fc.sample(fc.string({ unit: "grapheme", maxLength: 30 }), { numRuns: 500, seed: 7 });
    strings.push("\u2028\u2029\u0000\u001f\u007f\u00ff\ud7ff\ue000\uffff", "a\u007fb/");
    const py = python("import sys,json\nfor s in json.load(sys.stdin): print(json.dumps(s))", strings);
    expect(strings.map((s) => quote(s))).toEqual(py);
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

  it("pretty form matches json.dumps(indent=2, ensure_ascii=False)", () => {
    const v: PyValue = new Map<string, PyValue>([
      ["x", [1, new Map([["é", "ü"]])]],
      ["y", new Map()],
    ]);
    const py = python("import sys,json\nprint(json.dumps(json.load(sys.stdin), indent=2, ensure_ascii=False))", { x: [1, { é: "ü" }], y: {} });
    expect(pyDumps(v, { indent: 2, ascii: false })).toBe(py.join("\n"));
  });

  it("round-trips through JSON.parse for any JSON value", { timeout: 30_000 }, () => {
    const toPy = (x: unknown): PyValue => {
      if (Array.isArray(x)) return x.map(toPy);
      if (x && typeof x === "object") return new Map(Object.entries(x).map(([k, v]) => [k, toPy(v)]));
      if (typeof x === "number") return Number.isSafeInteger(x) ? x : new PyFloat(x);
      return x as PyValue;
    };
    fc.assert(
      fc.property(fc.jsonValue({ noUnicodeString: false }), (x) => {
        // JSON.parse gives -0 as 0 through integers; compare via JSON text of both sides.
        expect(JSON.stringify(JSON.parse(pyDumps(toPy(x))))).toBe(JSON.stringify(x));
      }),
      { numRuns: 300, seed: 1 },
    );
  });
});

describe("set order is Python's sorted()", () => {
  it("sorts by code point, not UTF-16 unit", () => {
    const items = ["\uff01", "🙂", "a", "é", "A"];
    const py = python("import sys,json\nprint(json.dumps(sorted(json.load(sys.stdin))))", items);
    expect(pyDumps([...items].sort(compareCodePoints))).toBe(py[0]);
  });
});
