// Each row of policy-semantics.md's predicate table, as the verdict of one `hard deny when P`:
// deny = true, allow = false (the default), undetermined = unknown.
import { describe, expect, it } from "vitest";
import type { Argument, MetaInput } from "../../src/schema/test-file.js";
import { run, step } from "./support.js";

function truth(predicate: string, args: Record<string, Argument> = {}, o: { lets?: string; session?: MetaInput } = {}) {
  const s = run(`${o.lets ?? ""}\ntool "t" { hard deny when ${predicate}; }`, [{ call: "t", args }], o.session ? { session: o.session } : {});
  const r = step(s, 0);
  return { value: r.verdict === "deny" ? true : r.verdict === "allow" ? false : "unknown", decisions: r.decisions, reasons: r.reasons };
}
const value = (p: string, args: Record<string, Argument> = {}, o: { lets?: string; session?: MetaInput } = {}) => truth(p, args, o).value;

describe("x.value in S", () => {
  it("true when some element matches the value", () => {
    expect(value('x.value in {"a", "b"}', { x: "b" })).toBe(true);
    expect(value('x.value in {"a", "b"}', { x: "c" })).toBe(false);
    expect(value("x.value in {int 1..3}", { x: 2 })).toBe(true);
  });
  it("null is in no finite set, and in the universal set", () => {
    expect(value('x.value in {"a"}', { x: null })).toBe(false);
    expect(truth('x.value in {"*"}', { x: null })).toEqual({ value: true, decisions: ["D1"], reasons: [] });
  });
  it('every value, string or not, is in a literal holding "*"', () => {
    expect(value('x.value in {"*", "a"}', { x: 5 })).toBe(true);
    expect(value('x.value in {"*"}', { x: [1, 2] })).toBe(true);
  });
  it("a list or map value in a finite set is unknown (D15)", () => {
    expect(truth('x.value in {"a"}', { x: ["a"] })).toEqual({
      value: "unknown",
      decisions: ["D15"],
      reasons: ["D15: whether a list value is in a set is not simulated"],
    });
    expect(truth('x.value in {"a"}', { x: { value: { k: "a" } } })).toMatchObject({ value: "unknown", decisions: ["D15"] });
  });
  it('a string literal on the left: "attempt3" in @session.tags', () => {
    expect(value('"attempt3" in @session.tags', {}, { session: { tags: ["attempt3"] } })).toBe(true);
    expect(value('"attempt3" in @session.tags', {}, { session: { tags: ["attempt2"] } })).toBe(false);
  });
});

describe("a == b on values: Python equality, but a bool equals only a bool and null only null", () => {
  it('1 == 1.0, "1" != 1, true != 1', () => {
    expect(value("x.value == 1.0", { x: 1 })).toBe(true);
    expect(value('x.value == "1"', { x: 1 })).toBe(false);
    expect(value("x.value == 1", { x: true })).toBe(false);
    expect(value("x.value == true", { x: true })).toBe(true);
  });
  it("null equals null (@session.value is null) and nothing else", () => {
    expect(value("x.value == @session.value", { x: null })).toBe(true);
    expect(value("x.value == @session.value", { x: 0 })).toBe(false);
  });
  it("lists and maps compare deeply", () => {
    expect(value("x.value == y.value", { x: [1, { value: { a: "b" } }], y: [1.0, { value: { a: "b" } }] })).toBe(true);
    expect(value("x.value == y.value", { x: [1, 2], y: [1, true] })).toBe(false);
    expect(value("x.value == y.value", { x: { value: { a: [1] } }, y: { value: { a: [1.0] } } })).toBe(true);
  });
  it("a datetime literal compares as an instant", () => expect(value('x.value == d"2024-01-01T00:00:00Z"', { x: "2024-01-01" })).toBe(true));
});

describe("set comparisons", () => {
  const tagged = (tags: string[]): Argument => ({ value: "v", tags });
  it("overlaps: some element of one matches some element of the other", () => {
    expect(value('x.tags overlaps {"a", "z"}', { x: tagged(["a", "b"]) })).toBe(true);
    expect(value('x.tags overlaps {"z"}', { x: tagged(["a"]) })).toBe(false);
    expect(value('x.tags overlaps {r"^a.*"}', { x: tagged(["abc"]) })).toBe(true);
    expect(value("x.tags overlaps {}", { x: tagged(["a"]) })).toBe(false);
  });
  it("subset of / superset of: every element matches some element of the other side", () => {
    expect(value('x.tags subset of {"a", "b", "c"}', { x: tagged(["a", "b"]) })).toBe(true);
    expect(value('x.tags subset of {"a"}', { x: tagged(["a", "b"]) })).toBe(false);
    expect(value('x.tags subset of {w"a*"}', { x: tagged(["ab", "ac"]) })).toBe(true);
    expect(value('x.tags superset of {"a"}', { x: tagged(["a", "b"]) })).toBe(true);
  });
  it("a universal set is a subset only of a universal set", () => {
    expect(truth('x.consumers subset of {"a"}', { x: "v" })).toEqual({ value: false, decisions: [], reasons: [] });
    expect(truth('x.consumers overlaps {"a"}', { x: "v" })).toEqual({ value: true, decisions: ["D1"], reasons: [] });
    expect(value('x.consumers subset of {"*"}', { x: "v" })).toBe(true);
    expect(value('x.tags subset of {"*"}', { x: tagged(["a"]) })).toBe(true);
  });
  it("== compares sets by their elements, patterns by their text", () => {
    expect(value('x.tags == {"b", "a"}', { x: tagged(["a", "b"]) })).toBe(true);
    expect(value('x.tags == {"a"}', { x: tagged(["a", "b"]) })).toBe(false);
    expect(value('x.tags == {r"a"}', { x: tagged(["a"]) })).toBe(false);
  });
  it("is empty and is universal", () => {
    expect(value("x.tags is empty", { x: "v" })).toBe(true);
    expect(value("x.consumers is empty", { x: "v" })).toBe(false);
    expect(value("x.consumers is universal", { x: "v" })).toBe(true);
    expect(value("x.consumers is universal", { x: { value: "v", consumers: ["*", "!a"] } })).toBe(false);
    expect(value("x.consumers is universal", { x: { value: "v", consumers: ["a"] } })).toBe(false);
  });
});

describe("not, and, or (Kleene; not > and > or) and let names", () => {
  it("precedence: not a and b or c is ((not a) and b) or c", () => {
    const p = "not x.value == 1 and y.value == 1 or z.value == 1";
    expect(value(p, { x: 1, y: 1, z: 0 })).toBe(false);
    expect(value(p, { x: 0, y: 1, z: 0 })).toBe(true);
    expect(value(p, { x: 1, y: 0, z: 1 })).toBe(true);
  });
  it("a let names a predicate evaluated in the current call", () => {
    const lets = 'let IsAdmin = role.value == "admin";\nlet Either = IsAdmin or IsRoot;\nlet IsRoot = role.value == "root";';
    expect(value("Either", { role: "root" }, { lets })).toBe(true);
    expect(value("Either", { role: "guest" }, { lets })).toBe(false);
  });
  it("a let of a domain is the set of that element", () =>
    expect(value("port.value in Ports", { port: 443 }, { lets: "let Ports = int 1..65535;" })).toBe(true));
});

describe("string contents in a verdict (D14)", () => {
  it('"a\\nb" is a backslash and an n, not a newline', () => {
    expect(truth('x.value in {"a\\nb"}', { x: "a\\nb" })).toEqual({ value: true, decisions: ["D14"], reasons: [] });
    expect(truth('x.value in {"a\\nb"}', { x: "a\nb" })).toEqual({ value: false, decisions: ["D14"], reasons: [] });
  });
});

describe("unknowns (and only where they matter)", () => {
  it("D3: an argument the call does not have", () => {
    expect(truth('to.value in {"a"}', {})).toEqual({ value: "unknown", decisions: ["D3"], reasons: ['D3: t has no argument "to"'] });
  });
  it("D3 does not count when the other side of `or` decides", () => {
    expect(truth('x.value == 1 or to.value in {"a"}', { x: 1 })).toEqual({ value: true, decisions: [], reasons: [] });
    expect(truth('x.value == 2 and to.value in {"a"}', { x: 1 })).toEqual({ value: false, decisions: [], reasons: [] });
  });
  it("D4: @result in a check rule, @tags outside a result or session block", () => {
    expect(truth('@result.tags overlaps {"a"}')).toEqual({ value: "unknown", decisions: ["D4"], reasons: ["D4: @result does not exist before the call runs"] });
    expect(truth('@tags overlaps {"a"}')).toEqual({
      value: "unknown",
      decisions: ["D4"],
      reasons: ["D4: @tags means nothing outside a result or session block"],
    });
  });
  it("a name no let defines, and a let that refers to itself, are unknown", () => {
    expect(truth("Nope")).toEqual({ value: "unknown", decisions: [], reasons: ["'Nope' is not defined by any let"] });
    expect(truth("Loop", {}, { lets: "let Loop = Loop2;\nlet Loop2 = Loop;" })).toEqual({
      value: "unknown",
      decisions: [],
      reasons: ["let Loop refers to itself"],
    });
    expect(truth("Rec", { x: 1 }, { lets: "let Rec = x.value == 2 or Rec;" })).toEqual({
      value: "unknown",
      decisions: [],
      reasons: ["let Rec refers to itself"],
    });
  });
});

describe("deep expressions never overflow the stack", () => {
  const n = 20_000;
  it(`an or chain of ${n} operands`, () => {
    const chain = Array.from({ length: n }, (_, i) => `x.value == ${i}`).join(" or ");
    expect(value(chain, { x: n - 1 })).toBe(true);
    expect(value(chain, { x: -1 })).toBe(false);
  });
  it(`a | chain of ${n} sets`, () => {
    const chain = Array.from({ length: n }, (_, i) => `{"t${i}"}`).join(" | ");
    expect(value(`x.tags subset of (${chain})`, { x: tagged2(["t0", `t${n - 1}`]) })).toBe(true);
  });
  it(`a chain of ${n} lets, each using the one before twice`, () => {
    const lets = ["let l0 = x.value == 0;", ...Array.from({ length: n }, (_, i) => `let l${i + 1} = l${i} or l${i};`)].join("\n");
    expect(value(`l${n}`, { x: 0 }, { lets })).toBe(true);
  });
});

function tagged2(tags: string[]): Argument {
  return { value: "v", tags };
}
