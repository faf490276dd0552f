// The serializer against Python itself: python3 runs json.dumps / repr on the same values.
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../../src/serialize/dump.js";
import { floatRepr, pyDumps, quote } from "../../src/serialize/pyjson.js";
import type { PyValue } from "../../src/serialize/pyvalue.js";

/** Runs Python over one JSON document on stdin and returns its stdout lines. */
function python(script: string, input: unknown): string[] {
  const out = execFileSync("python3", ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  return out.split("\n").slice(0, -1);
}

describe("floatRepr is Python's repr(float)", () => {
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
});

describe("pyDumps is json.dumps", () => {
  it("agrees with python3 on random strings (full Unicode)", () => {
    const strings = fc.sample(fc.string({ unit: "grapheme", maxLength: 30 }), { numRuns: 500, seed: 7 });
    strings.push("\u2028\u2029\u0000\u001f\u007f\u00ff\ud7ff\ue000\uffff", "a\u007fb/");
    const py = python("import sys,json\nfor s in json.load(sys.stdin): print(json.dumps(s))", strings);
    expect(strings.map((s) => quote(s))).toEqual(py);
  });

  it("pretty form matches json.dumps(indent=2, ensure_ascii=False)", () => {
    const v: PyValue = new Map<string, PyValue>([
      ["x", [1, new Map([["é", "ü"]])]],
      ["y", new Map()],
    ]);
    const py = python("import sys,json\nprint(json.dumps(json.load(sys.stdin), indent=2, ensure_ascii=False))", { x: [1, { é: "ü" }], y: {} });
    expect(pyDumps(v, { indent: 2, ascii: false })).toBe(py.join("\n"));
  });
});

describe("set order is Python's sorted()", () => {
  it("sorts by code point, not UTF-16 unit", () => {
    const items = ["\uff01", "🙂", "a", "é", "A"];
    const py = python("import sys,json\nprint(json.dumps(sorted(json.load(sys.stdin))))", items);
    expect(pyDumps([...items].sort(compareCodePoints))).toBe(py[0]);
  });
});
