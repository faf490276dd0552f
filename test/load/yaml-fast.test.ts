// The fast YAML reader against the full parser: whatever it accepts, it must read exactly as the full
// parser does (values, kinds, keys, spans); whatever it is not sure of, it must leave to the full parser.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LNode } from "../../src/load/lnode.js";
import { locate, Source, type Span } from "../../src/load/source.js";
import { parseYaml, parseYamlFull } from "../../src/load/yaml.js";
import { parseYamlFast } from "../../src/load/yaml-fast.js";

const at = (s: Span) => [s.start, s.end];
// A block collection's end may differ after trailing comment lines (yaml-fast.ts): compare what a location shows.
const shown = (s: Span) => locate(s);

function norm(n: LNode | undefined): unknown {
  if (n === undefined) return undefined;
  switch (n.kind) {
    case "scalar":
      return { value: n.value, float: n.float, span: at(n.span), segments: n.segments?.length ?? 0 };
    case "seq":
      return { seq: n.items.map(norm), span: shown(n.span) };
    case "map":
      return { map: [...n.entries.values()].map((e) => [e.key, at(e.keySpan), norm(e.value)]), span: shown(n.span) };
  }
}

/** Asserts the fast reader either declines `text` or reads it as the full parser does; returns whether it read it. */
function agrees(text: string): boolean {
  const source = new Source("c.yaml", text);
  const fast = parseYamlFast(source);
  if (fast === undefined) return false;
  const full = parseYamlFull(source);
  expect(full.diagnostics).toEqual([]);
  expect(norm(fast)).toEqual(norm(full.root));
  return true;
}

const ENV_CONFIG = [
  "# comment before",
  "version: 1",
  "defaults:",
  "  features: {agent_arch: dual-llm}   # trailing",
  "  policy: {mode: standard, codes: {file: base.sqrt}}",
  "",
  "environments:",
  "  env1:",
  "    extends: env0",
  "    features: {content_classifiers: {$append: [{name: pii_redaction, threshold: 0.2}]}}",
  `    policy: {codes: {code: {$append: 'tool "t1" { hard deny when x.tags overlaps {"s1"}; }'}}}`,
  '    config: {llm: {pllm: {seed: 1, logit_bias: {"50256": -1, 13: -100}}}}',
  "    tags:",
  "    - a",
  "    - k: v",
  "      j: 'it''s'",
  "  # between",
  "  env2: {}",
  "",
].join("\n");

describe("fast YAML reader", () => {
  it("reads the usual config shape exactly as the full parser does", () => {
    expect(agrees(ENV_CONFIG)).toBe(true);
    expect(agrees(ENV_CONFIG.trimEnd())).toBe(true);
  });

  it("reads the shipped example as the full parser does, or leaves it to it", () => {
    agrees(readFileSync(new URL("../../examples/sequrity.config.yaml", import.meta.url), "utf8"));
  });

  it.each([
    ["an anchor and an alias", "a: &x 1\nb: *x\n"],
    ["a tag", "a: !env HOME\n"],
    ["a block scalar", "a: |\n  text\n"],
    ["a multi-line plain scalar", "a: one\n  two\n"],
    ["a multi-line flow mapping", "a: {x: 1,\n  y: 2}\n"],
    ["an escape in double quotes", 'a: "x\\ty"\n'],
    ["a tab", "a:\t1\n"],
    ["a CRLF line end", "a: 1\r\nb: 2\r\n"],
    ["a non-ASCII character", "a: é\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["a duplicate key in a flow mapping", "a: {x: 1, x: 2}\n"],
    ["the key __proto__", "__proto__: 1\n"],
    ["a merge key", "<<: {a: 1}\n"],
    ["an empty value", "a:\nb: 1\n"],
    ["a null key", "~: 1\n"],
    ["a non-finite number", "a: .inf\n"],
    ["a float too large", "a: 1e400\n"],
    ["a second document", "a: 1\n---\nb: 2\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["a YAML 1.1 directive", "%YAML 1.1\n---\na: 010\nb: on\n"],
    ["a !!float tag on an integer", "a: !!float 1\n"],
    ["a !!float tag in a flow mapping", "a: {b: !!float 1}\n"],
    ["a core tag that cannot read its value", "a: !!int 1.5\n"],
    ["a root list", "- 1\n"],
    ["a root scalar", "just text\n"],
    ["a bad indent", "a:\n    b: 1\n  c: 2\n"],
    ["a comment without a space", "a: {x: 1}#c\n"],
    ["a trailing comma", "a: [1, 2,]\n"],
    ["a key with no colon", "a: 1\nb\n"],
    ["nested mappings on one line", "a: b: c\n"],
    ["an empty list item", "a:\n  -\n  - 1\n"],
    ["an empty file", ""],
  ])("leaves %s to the full parser", (_what, text) => {
    expect(parseYamlFast(new Source("c.yaml", text))).toBeUndefined();
  });

  it("gives the full parser's diagnostics for what it declines", () => {
    const source = new Source("c.yaml", "a: 1\na: 2\n");
    expect(parseYaml(source).diagnostics.map((d) => d.code)).toEqual(["duplicate-key"]);
  });

  it("reads through the full parser what it declines: a version directive is refused, !!float 1 is the float 1.0", () => {
    expect(parseYaml(new Source("c.yaml", "%YAML 1.1\n---\na: 010\n")).diagnostics.map((d) => d.code)).toEqual(["yaml-version"]);
    const { root } = parseYaml(new Source("c.yaml", "a: !!float 1\n"));
    expect(root?.kind === "map" ? norm(root.entries.get("a")?.value) : root).toEqual({ value: 1, float: true, span: [11, 12], segments: 0 });
  });

  it("agrees with the full parser on generated documents", () => {
    const tricky = fc.constantFrom(
      ..."a|x y|a  b|1|-1|+1|007|0x1F|0o17|0b1|1.0|1.|.5|-.5|1e3|1E-2|+1.5e+3|1_000|12:30|true|True|TRUE|yes|null|Null|~|.inf|-.Inf|.nan|9007199254740993|-9007199254740993|a:b|a#b|a #b|a,b|x[1]|http://x.y/z|-x|--|-|'q'|\"d\"|it's|a\\b|[x]|{y}|<<|__proto__|a: b|#c|?x|@x|%x|&a|*a|!t|>|---|...|$append|".split(
        "|",
      ),
    );
    const scalarText = fc.oneof(
      { arbitrary: fc.constantFrom("x", "name", "1", "0.5", "-3", "true", "a b", "s-1"), weight: 20 },
      { arbitrary: tricky, weight: 2 },
    );
    const scalar = fc.tuple(scalarText, fc.constantFrom("plain", "single", "double")).map(([s, style]) => {
      if (style === "single") return `'${s.replaceAll("'", "''")}'`;
      if (style === "double") return JSON.stringify(s);
      return s;
    });
    const keyText = fc.oneof(
      { arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), weight: 6 },
      { arbitrary: fc.constantFrom("0", "13", "x y", "true", "null", "<<", "-k", "$append", "a:b", "k#", "__proto__"), weight: 1 },
    );
    const key = fc.tuple(keyText, fc.boolean()).map(([k, q]) => (q ? JSON.stringify(k) : k));
    const sp = fc.constantFrom("", " ", "  ");
    const trail = fc.oneof({ arbitrary: fc.constantFrom("", " ", "  # c", " #c"), weight: 60 }, { arbitrary: fc.constant("#c"), weight: 1 });
    const between = fc.constantFrom("", "", "\n", "# c\n", "  # c\n", "\n\n", "    # deep\n");
    type Flow = fc.Arbitrary<string>;
    const flow: Flow = fc.letrec<{ v: string }>((tie) => ({
      v: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        scalar,
        fc.array(fc.tuple(key, tie("v"), sp, sp), { maxLength: 3 }).map((es) => `{${es.map(([k, v, a, b]) => `${a}${k}: ${v}${b}`).join(",")}}`),
        fc.array(fc.tuple(tie("v"), sp), { maxLength: 3 }).map((vs) => `[${vs.map(([v, a]) => `${a}${v}`).join(",")}]`),
      ),
    })).v;
    // What follows `key:` in a block mapping whose keys are at `indent`: an inline value, a nested
    // mapping, or a list (items at the key's column or deeper; an item may be a compact mapping).
    type Block = (indent: number) => string;
    const entries = (es: [string, Block, string][], col: number, firstInline = false): string =>
      es.map(([k, v, b], i) => `${i === 0 && firstInline ? "" : " ".repeat(col)}${k}:${v(col)}${b}`).join("");
    const block = (depth: number): fc.Arbitrary<Block> => {
      const inline = fc.tuple(flow, trail, sp).map(
        ([v, t, s]): Block =>
          () =>
            ` ${s}${v}${t}\n`,
      );
      if (depth === 0) return inline;
      const entry = fc.tuple(key, block(depth - 1), between);
      const map = fc.tuple(fc.array(entry, { minLength: 1, maxLength: 3 }), fc.constantFrom(1, 2, 4), trail).map(
        ([es, step, t]): Block =>
          (indent) =>
            `${t}\n${entries(es, indent + step)}`,
      );
      const item = fc.oneof(
        fc.tuple(flow, trail, between).map(
          ([v, t, b]) =>
            (col: number) =>
              `${" ".repeat(col)}- ${v}${t}\n${b}`,
        ),
        fc.tuple(fc.array(entry, { minLength: 1, maxLength: 2 }), fc.constantFrom(1, 3)).map(
          ([es, gap]) =>
            (col: number) =>
              `${" ".repeat(col)}-${" ".repeat(gap)}${entries(es, col + 1 + gap, true)}`,
        ),
      );
      const seq = fc.tuple(fc.array(item, { minLength: 1, maxLength: 3 }), fc.constantFrom(0, 2), trail).map(
        ([items, step, t]): Block =>
          (indent) =>
            `${t}\n${items.map((it) => it(indent + step)).join("")}`,
      );
      return fc.oneof(inline, map, seq);
    };
    const doc = fc.tuple(between, fc.array(fc.tuple(key, block(2), between), { minLength: 1, maxLength: 4 }), fc.boolean()).map(([head, es, finalNewline]) => {
      const text = head + entries(es, 0);
      return finalNewline ? text : text.trimEnd();
    });
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(doc, (text) => {
        runs++;
        if (agrees(text)) read++;
      }),
      // 300 here keeps the unit project fast; YAML_FAST_RUNS=30000 for a long run (all agreed when it was written).
      { numRuns: Number(process.env.YAML_FAST_RUNS ?? 300) },
    );
    // Not vacuous: a fair share of the documents took the fast path.
    expect(read / runs).toBeGreaterThan(0.3);
  });
});
