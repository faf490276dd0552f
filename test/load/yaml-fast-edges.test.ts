// Edge cases of YAML scalars, flow collections and layout: the fast reader declines each or reads it
// exactly as the full parser does (values, int/float, key and value spans, string segments).
import { describe, expect, it } from "vitest";
import type { LNode } from "../../src/load/lnode.js";
import { locate, Source, type Span } from "../../src/load/source.js";
import { parseYamlFull } from "../../src/load/yaml.js";
import { parseYamlFast } from "../../src/load/yaml-fast.js";
const at = (s: Span) => [s.start, s.end];
function norm(n: LNode | undefined): unknown {
  if (n === undefined) return undefined;
  if (n.kind === "scalar") return { value: n.value, float: n.float, span: at(n.span), segs: (n.segments ?? []).map((g) => [g.start, g.end, at(g.locate(0))]) };
  if (n.kind === "seq") return { seq: n.items.map(norm), span: locate(n.span) };
  return { map: [...n.entries.values()].map((e) => [e.key, at(e.keySpan), norm(e.value)]), span: locate(n.span) };
}
const DOCS = [
  "a: b: c\n",
  "a: 'x' y\n",
  'a: "x\\ty"\n',
  "a: x #c\n",
  "a: x#c\n",
  "a: [1, 2,]\n",
  "a: {b: 1, b: 2}\n",
  "a: {b}\n",
  "a: {b: }\n",
  "a:b\n",
  "a: -1\n",
  "a: - 1\n",
  "a: 1e3\n",
  "a: 1E3\n",
  "a: .5\n",
  "a: 5.\n",
  "a: +5\n",
  "a: 0x1F\n",
  "a: 0o17\n",
  "a: 017\n",
  "a: 1_000\n",
  "a: yes\n",
  "a: on\n",
  "a: Null\n",
  "a: ~\n",
  "a: 'null'\n",
  "a: True\n",
  "a: tRue\n",
  "a: 9007199254740993\n",
  "a: 1e400\n",
  "a: -0\n",
  "a: -0.0\n",
  "a: [a, [b, {c: d}]]\n",
  "a: {'k': v, \"q\": w}\n",
  "a: {k: 'it''s'}\n",
  "- a\n- b\n",
  "a:\n- x\n- y\n",
  "a:\n  - x\n  -  y\n",
  "a:\n    b: 1\n  c: 2\n",
  "a: x\n b: y\n",
  "a: {b: 1}x\n",
  "a: [1] # c\n",
  "a: @x\n",
  "a: `x\n",
  "a: %x\n",
  "a: x:\n",
  "a: 'x'#c\n",
  'a: "x"  \n',
  "? a\n: b\n",
  "a: {b: [1, 2], c: {d: e}}\nb: 2\n",
  "'a b': 1\n",
  '"a\\nb": 1\n',
  "a: >-\n  x\n",
  "a: |\n  x\n",
  "a: *x\n",
  "a: &x 1\n",
  "a: !!str 1\n",
  "a: 12:30\n",
  "a: 2001-12-14\n",
  "a: x,y\n",
  "a: {x,y}\n",
  "a: [x:y]\n",
  "a: [x: y]\n",
  "a: {x: [}]\n",
  "a: '' \n",
  'a: ""\n',
  "a: ''''\n",
  "a:  1\n",
  "a :1\n",
  "a : 1\n",
  "a\t: 1\n",
  "a: 1\n\n\n",
  "a: 1",
  "\na: 1\n",
  "a: 1\r\n",
  "  a: 1\n",
  "a: -\n",
  "a: - \n",
  "a: [-]\n",
  "a: [- 1]\n",
  "a: {b: -}\n",
  "a: .inf\n",
  "a: -.Inf\n",
  "a: .NaN\n",
  "a: 0b101\n",
  "a: 1.0\n",
  "a: 1.\n",
  "a: 00\n",
  "a: 0.0e0\n",
  "a: x # c # d\n",
  "a: 'a # b'\n",
  "a: {b: 'c: d'}\n",
  'a: ["x, y"]\n',
  "a: x\n# end",
  "a: {}\n",
  "a: []\n",
  "a: [ ]\n",
  "a: { }\n",
  "a: [[]]\n",
  "a: {b: {}}\n",
  "__proto__: 1\n",
  "a: {__proto__: 1}\n",
  // Implicit keys over 1,024 characters are YAML errors, quoted or plain, in block and flow mappings.
  `'${"x".repeat(1030)}': 1\n`,
  `"${"x".repeat(1030)}": 1\n`,
  `k:\n  - '${"x".repeat(1030)}': 1\n`,
  `${"x".repeat(1030)}: 1\n`,
  `a: {'${"x".repeat(1030)}': 1}\n`,
  "<<: {a: 1}\n",
  "a: {<<: 1}\n",
  "$x: 1\n",
  "a: {$append: [x]}\n",
  'a: "\\u00e9"\n',
  "a: 'x\n  y'\n",
  "a: x\n  y\n",
];
describe("fast YAML reader on edge cases", () => {
  const cases = DOCS.map((text) => [text.length > 60 ? `${text.slice(0, 40)}... (${text.length} chars)` : text, text] as const);
  it.each(cases)("declines or agrees: %j", (_, text) => {
    const source = new Source("c.yaml", text);
    const fast = parseYamlFast(source);
    if (fast === undefined) return;
    const full = parseYamlFull(source);
    expect(full.diagnostics.map((d) => d.message)).toEqual([]);
    expect(norm(fast)).toEqual(norm(full.root));
  });
});
