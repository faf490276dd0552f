import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/review/line-diff.js";

/** Applies a unified diff's hunks to `before`; the result must be `after`. */
function apply(before: string[], diff: string[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const line of diff.slice(2)) {
    const h = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(line);
    if (h) {
      const start = Number(h[2]) === 0 ? Number(h[1]) : Number(h[1]) - 1;
      out.push(...before.slice(at, start));
      at = start;
      continue;
    }
    if (line.startsWith("+")) out.push(line.slice(1));
    else {
      expect(before[at]).toBe(line.slice(1));
      if (line.startsWith(" ")) out.push(line.slice(1));
      at++;
    }
  }
  return [...out, ...before.slice(at)];
}

describe("unified line diff", { timeout: 60_000 }, () => {
  it("shows a changed line with three lines of context in a numbered hunk", () => {
    const before = "a\nb\nc\nd\ne\nf\ng\nh\n";
    expect(unifiedDiff(before, before.replace("e", "E"), { before: "dev", after: "prod" })).toEqual([
      "--- dev",
      "+++ prod",
      "@@ -2,7 +2,7 @@",
      " b",
      " c",
      " d",
      "-e",
      "+E",
      " f",
      " g",
      " h",
    ]);
  });

  it("numbers an insertion into an empty text from line 0 and splits far-apart changes into hunks", () => {
    expect(unifiedDiff("", "x\n", { before: "a", after: "b" })).toEqual(["--- a", "+++ b", "@@ -0,0 +1,1 @@", "+x"]);
    const many = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const edited = many.map((l) => (l === "l1" || l === "l18" ? l.toUpperCase() : l));
    const hunks = unifiedDiff(many.join("\n"), edited.join("\n"), { before: "a", after: "b" }).filter((l) => l.startsWith("@@"));
    expect(hunks).toEqual(["@@ -1,5 +1,5 @@", "@@ -16,5 +16,5 @@"]);
  });

  it("past 2,000 differing lines shows the differing middle as removed then added, still applying", () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`);
    const b = ["same", ...Array.from({ length: 3000 }, (_, i) => `b${i}`), "end"];
    const diff = unifiedDiff(["same", ...a, "end"].join("\n"), b.join("\n"), { before: "x", after: "y" });
    expect(diff.filter((l) => l.startsWith("@@"))).toEqual(["@@ -1,3002 +1,3002 @@"]);
    expect(diff.slice(3, 5)).toEqual([" same", "-a0"]);
    expect(apply(["same", ...a, "end"], diff)).toEqual(b);
  });

  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\nb", "a\nb\n", { before: "x", after: "y" })).toEqual([]);
  });

  it("turns any text into any other when its hunks are applied", () => {
    const text = fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 30 });
    fc.assert(
      fc.property(text, text, (x, y) => {
        const diff = unifiedDiff(x.map((l) => `${l}\n`).join(""), y.map((l) => `${l}\n`).join(""), { before: "x", after: "y" });
        expect(diff.length === 0 ? x : apply(x, diff)).toEqual(y);
      }),
      { numRuns: 300 },
    );
  });
});
