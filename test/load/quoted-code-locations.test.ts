// Policy problems inside a quoted YAML scalar are located at the character that wrote them, through
// escapes (\", \u00e9, \U0001F600), '' in single quotes and folded line breaks (yaml-segment.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Source } from "../../src/load/source.js";
import { yamlStringSegment } from "../../src/load/yaml-segment.js";
import { compileYaml } from "../helpers.js";

async function firstIssue(code: string): Promise<[number | undefined, number | undefined]> {
  const result = await compileYaml(`version: 1\nenvironments:\n  a:\n    policy:\n      codes:\n        code: ${code}\n`);
  const d = result.diagnostics[0];
  return [d?.location?.line, d?.location?.column];
}

describe("locations inside quoted scalars", () => {
  it('double quotes with \\" escapes: at the name itself', async () => {
    // `        code: ` is 14 columns: `y` is column 72.
    expect(await firstIssue('"tool \\"a\\" { hard deny when x.tags overlaps {\\"s\\"} and y; }"')).toEqual([6, 72]);
  });

  it("double quotes with \\u and \\U escapes before the problem: an escape counts as one character", async () => {
    expect(await firstIssue('"// \\u00e9\\U0001F600\\ntool \\"d\\" { hard deny when q; }"')).toEqual([6, 65]);
  });

  it("single quotes with '' inside, on one line and folded over an empty line: at the name itself", async () => {
    expect(await firstIssue(`'/* it''s */ tool "b" { hard deny when z; }'`)).toEqual([6, 54]);
    expect(await firstIssue(`'// it''s\n\n          tool "b" { hard deny when z; }'`)).toEqual([8, 37]);
  });

  it("a double-quoted scalar folded over two lines: on the second line", async () => {
    expect(await firstIssue('"tool \\"c\\" {\n          hard deny when w; }"')).toEqual([7, 26]);
  });
});

describe("yamlStringSegment on quoted scalars (property)", () => {
  it("maps every plain character of a JSON-style double-quoted scalar to that character in the file", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b", " ", '"', "\\", "\n", "\t", "é", "\u2028", "😀", "'", "x") }), (value) => {
        const text = `code: ${JSON.stringify(value)}\n`;
        const source = new Source("f.yaml", text);
        const span = { source, start: 6, end: text.length - 1 };
        const segment = yamlStringSegment(source, span, value);
        for (let k = 0; k < value.length; k++) {
          const ch = value[k] as string;
          if (/[ab x'é]/.test(ch)) expect(text[segment.locate(k).start]).toBe(ch);
        }
      }),
    );
  });
});
