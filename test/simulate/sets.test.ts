// Finite / co-finite sets against a brute-force model over a small alphabet (D1).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyTrace } from "../../src/simulate/decisions.js";
import { MetaSet, absorbingOperand, applySetOp, overlaps, setOp, subsetOf, valueIn, type SetOp } from "../../src/simulate/sets.js";

const ALPHABET = ["a", "b", "c", "!a"];
/** A set as the model sees it: which alphabet letters it holds, and whether it holds every other string. */
interface Model {
  rest: boolean;
  has: boolean[];
}

const toModel = (s: MetaSet): Model => ({
  rest: s.hasElement("zzz-not-in-alphabet"),
  has: ALPHABET.map((x) => s.hasElement(x)),
});
const build = (cofinite: boolean, picked: boolean[]) => {
  const items = ALPHABET.filter((_, i) => picked[i]);
  return cofinite ? MetaSet.except(items) : MetaSet.of(items);
};
const arbSet = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.boolean(), {
      minLength: ALPHABET.length,
      maxLength: ALPHABET.length,
    }),
  )
  .map(([c, p]) => build(c, p));

const MODEL_OPS: Record<SetOp, (x: boolean, y: boolean) => boolean> = {
  "|": (x, y) => x || y,
  "&": (x, y) => x && y,
  "-": (x, y) => x && !y,
  "^": (x, y) => x !== y,
};
const modelOp = (op: SetOp, a: Model, b: Model): Model => ({
  rest: MODEL_OPS[op](a.rest, b.rest),
  has: a.has.map((x, i) => MODEL_OPS[op](x, b.has[i] as boolean)),
});

describe("co-finite set algebra (property-tested against a brute-force model)", () => {
  for (const op of ["|", "&", "-", "^"] as const) {
    it(`${op} is exact for finite and co-finite operands`, () => {
      fc.assert(
        fc.property(arbSet, arbSet, (a, b) => {
          expect(toModel(applySetOp(op, a, b))).toEqual(modelOp(op, toModel(a), toModel(b)));
        }),
      );
    });
  }

  it("== , is empty and is universal agree with the model", () => {
    fc.assert(
      fc.property(arbSet, arbSet, (a, b) => {
        const [ma, mb] = [toModel(a), toModel(b)];
        expect(a.equals(b)).toBe(JSON.stringify(ma) === JSON.stringify(mb));
        expect(a.isEmpty).toBe(!ma.rest && ma.has.every((x) => !x));
        expect(a.isUniversal).toBe(ma.rest && ma.has.every(Boolean));
      }),
    );
  });

  it("overlaps, subset of and in agree with the model for plain strings", () => {
    fc.assert(
      fc.property(arbSet, arbSet, fc.constantFrom(...ALPHABET, "other"), (a, b, x) => {
        const [ma, mb] = [toModel(a), toModel(b)];
        const t = emptyTrace();
        expect(overlaps(a, b, t)).toBe((ma.rest && mb.rest) || ma.has.some((h, i) => h && mb.has[i]));
        expect(subsetOf(a, b, t)).toBe((!ma.rest || mb.rest) && ma.has.every((h, i) => !h || mb.has[i]));
        const i = ALPHABET.indexOf(x);
        expect(valueIn(x, a, t)).toBe(i >= 0 ? ma.has[i] : ma.rest);
      }),
    );
  });

  it('prints sorted, co-finite as ["*", "!x"], and reads its own output back', () => {
    fc.assert(
      fc.property(arbSet, (a) => {
        expect(MetaSet.fromList(a.toList()).equals(a)).toBe(true);
      }),
    );
    expect(MetaSet.except(["b", "a"]).toList()).toEqual(["*", "!a", "!b"]);
    expect(MetaSet.of(["b", "!a", "a"]).toList()).toEqual(["!a", "a", "b"]);
    expect(MetaSet.fromList(["*", "!!a"]).hasElement("!a")).toBe(false);
    expect(MetaSet.fromList(["!a"]).hasElement("!a")).toBe(true);
  });

  it("is universal only for the universal set itself: U - {a} is not", () => {
    expect(MetaSet.UNIVERSAL.isUniversal).toBe(true);
    expect(MetaSet.UNIVERSAL.minus(MetaSet.of(["a"])).isUniversal).toBe(false);
    expect(MetaSet.of(["*"]).isUniversal).toBe(false);
  });

  it("an absorbing operand gives the result whatever the other operand holds, and is found for U |, {} &, {} - and - U", () => {
    const ops: SetOp[] = ["|", "&", "-", "^"];
    fc.assert(
      fc.property(fc.constantFrom(...ops), fc.constantFrom("left" as const, "right" as const), arbSet, arbSet, (op, side, k, other) => {
        const r = absorbingOperand(op, k, side);
        if (r === undefined) return;
        expect(toModel(side === "left" ? applySetOp(op, k, other) : applySetOp(op, other, k))).toEqual(toModel(r));
      }),
    );
    const found = (op: SetOp, k: MetaSet, side: "left" | "right") => absorbingOperand(op, k, side) !== undefined;
    expect([
      found("|", MetaSet.UNIVERSAL, "right"),
      found("&", MetaSet.EMPTY, "left"),
      found("-", MetaSet.EMPTY, "left"),
      found("-", MetaSet.UNIVERSAL, "right"),
    ]).toEqual([true, true, true, true]);
    expect([found("-", MetaSet.UNIVERSAL, "left"), found("^", MetaSet.UNIVERSAL, "left"), found("|", MetaSet.of(["a"]), "left")]).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe("D1 is recorded only where the universal reading changed a result", () => {
  const d1 = (op: SetOp, a: MetaSet, b: MetaSet) => {
    const t = emptyTrace();
    const r = setOp(op, a, b, t);
    return { result: r.toList(), d1: (t.mask & 2) !== 0 };
  };
  const U = MetaSet.UNIVERSAL;
  const A = MetaSet.of(["a"]);
  it('U & {"a"} = {"a"} (read plainly, {"*"} & {"a"} would be empty)', () => expect(d1("&", U, A)).toEqual({ result: ["a"], d1: true }));
  it('U | {"a"} = U (read plainly, {"*", "a"})', () => expect(d1("|", U, A)).toEqual({ result: ["*"], d1: true }));
  it('U - {"a"} = everything except "a"', () => expect(d1("-", U, A)).toEqual({ result: ["*", "!a"], d1: true }));
  it("X - U = {}", () => expect(d1("-", A, U)).toEqual({ result: [], d1: true }));
  it("U & U and U | U are the same either way: no D1", () => {
    expect(d1("&", U, U)).toEqual({ result: ["*"], d1: false });
    expect(d1("|", U, U)).toEqual({ result: ["*"], d1: false });
  });
  it("finite operands never rest on D1", () =>
    expect(d1("|", A, MetaSet.of(["b"]))).toEqual({
      result: ["a", "b"],
      d1: false,
    }));
  it("an operand with exceptions always does", () =>
    expect(d1("|", MetaSet.except(["a"]), MetaSet.of(["a"]))).toEqual({
      result: ["*"],
      d1: true,
    }));
});
