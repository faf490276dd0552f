// The output formats of one review: text, markdown (read back by a real markdown parser), github (the workflow-command syntax).
import { marked, type Tokens } from "marked";
import { beforeAll, describe, expect, it } from "vitest";
import { escapeData, escapeProperty } from "../../src/diagnostics/index.js";
import { reviewGithub } from "../../src/review/github.js";
import { reviewMarkdown } from "../../src/review/markdown.js";
import type { Review } from "../../src/review/model.js";
import { reviewText } from "../../src/review/text.js";
import { reviewOf } from "./support.js";

const BEFORE = `version: 1
defaults:
  policy: {mode: strict, codes: {code: 'tool "send_email" { hard deny when x.tags overlaps ({"a"} | {"b"}); }'}}
environments:
  dev: {}
  prod: {features: {agent_arch: dual-llm}}
  edge: {}
`;
const AFTER = `version: 1
defaults:
  policy: {mode: strict, codes: {code: 'tool "x" { soft allow always; }'}}
environments:
  dev: {config: {fsm: {max_n_turns: 3}}}
  prod: {features: {agent_arch: single-llm}}
  qa: {}
  edge: {policy: {codes: {file: "pol/a,b: 100%.sqrt"}}, config: {fsm: {detect_tool_error_regex_pattern: "a,b: 5%"}}}
`;

let review: Review;
beforeAll(async () => {
  review = await reviewOf(BEFORE, AFTER, { after: { "pol/a,b: 100%.sqrt": 'tool "x" {\n    soft allow always;\n}\n' } });
}, 60_000);

describe("review formats", { timeout: 60_000 }, () => {
  it("text: one line per change under its environment, the class first, then where", () => {
    expect(reviewText(review)).toBe(
      [
        "security review: working tree against old.yaml",
        "dev: changed",
        "  neutral    config.fsm.max_n_turns added: 3  (sequrity.config.yaml:5:37)",
        '  weakening  tool "x" rule added: soft allow always  (sequrity.config.yaml:3:52)',
        '  weakening  tool "send_email" rule removed: hard deny when x.tags overlaps ({"a"} | {"b"})  (before: sequrity.config.yaml:3:61)',
        "prod: changed",
        '  weakening  features.agent_arch changed: "dual-llm" → "single-llm"  (sequrity.config.yaml:6:33)',
        '  weakening  tool "x" rule added: soft allow always  (sequrity.config.yaml:3:52)',
        '  weakening  tool "send_email" rule removed: hard deny when x.tags overlaps ({"a"} | {"b"})  (before: sequrity.config.yaml:3:61)',
        "qa: added  (sequrity.config.yaml:7:3)",
        "edge: changed",
        '  neutral    config.fsm.detect_tool_error_regex_pattern added: "a,b: 5%"  (sequrity.config.yaml:8:105)',
        '  weakening  tool "x" rule added: soft allow always  (pol/a,b: 100%.sqrt:2:5)',
        '  weakening  tool "send_email" rule removed: hard deny when x.tags overlaps ({"a"} | {"b"})  (before: sequrity.config.yaml:3:61)',
        "summary: 7 weakening, 0 tightening, 0 review, 2 neutral",
        "",
      ].join("\n"),
    );
  });

  it("github: workflow commands in the documented syntax, removed items annotated where the after side still has their enclosing node", () => {
    const out = reviewGithub(review);
    const prop = "(?:file|line|title)=(?:[^%,:\\r\\n]|%25|%0D|%0A|%3A|%2C)*";
    const syntax = new RegExp(`^::(warning|notice) ${prop}(?:,${prop})*::(?:[^%\\r\\n]|%25|%0D|%0A)*$`);
    const lines = out.split("\n");
    expect(lines.pop()).toBe("");
    for (const l of lines) expect(l).toMatch(syntax);
    expect(lines).toEqual([
      "::notice file=sequrity.config.yaml,line=5,title=neutral%3A dev::config.fsm.max_n_turns added: 3",
      '::warning file=sequrity.config.yaml,line=3,title=weakening%3A dev::tool "x" rule added: soft allow always',
      // send_email is gone from the after side: annotated at the policy code that replaced it.
      '::warning file=sequrity.config.yaml,line=3,title=weakening%3A dev::tool "send_email" rule removed: hard deny when x.tags overlaps ({"a"} | {"b"})',
      '::warning file=sequrity.config.yaml,line=6,title=weakening%3A prod::features.agent_arch changed: "dual-llm" → "single-llm"',
      '::warning file=sequrity.config.yaml,line=3,title=weakening%3A prod::tool "x" rule added: soft allow always',
      '::warning file=sequrity.config.yaml,line=3,title=weakening%3A prod::tool "send_email" rule removed: hard deny when x.tags overlaps ({"a"} | {"b"})',
      "::notice file=sequrity.config.yaml,line=7,title=environment added%3A qa::environment qa added",
      '::notice file=sequrity.config.yaml,line=8,title=neutral%3A edge::config.fsm.detect_tool_error_regex_pattern added: "a,b: 5%25"',
      '::warning file=pol/a%2Cb%3A 100%25.sqrt,line=2,title=weakening%3A edge::tool "x" rule added: soft allow always',
      // Here the code came from a file: annotated at the `file:` that now names it.
      '::warning file=sequrity.config.yaml,line=8,title=weakening%3A edge::tool "send_email" rule removed: hard deny when x.tags overlaps ({"a"} | {"b"})',
    ]);
  });

  it("github escaping: % CR LF in messages, and also : and , in properties", () => {
    expect(escapeData("50% a\r\nb: c, d")).toBe("50%25 a%0D%0Ab: c, d");
    expect(escapeProperty("50% a\r\nb: c, d")).toBe("50%25 a%0D%0Ab%3A c%2C d");
  });

  it("markdown: a summary, one section per changed environment with the weakening first, tables intact", () => {
    const tokens = marked.lexer(reviewMarkdown(review));
    const headings = tokens.filter((t): t is Tokens.Heading => t.type === "heading").map((t) => [t.depth, t.text]);
    expect(headings).toEqual([
      [2, "Security review: working tree against old\\.yaml"],
      [3, "dev (changed: 2 weakening, 1 neutral)"],
      [3, "prod (changed: 3 weakening)"],
      [3, "edge (changed: 2 weakening, 1 neutral)"],
      [3, "qa (added)"],
    ]);
    const tables = tokens.filter((t): t is Tokens.Table => t.type === "table");
    expect(tables.map((t) => t.header.map((h) => h.text))).toEqual(Array(3).fill(["class", "change", "before", "after", "where"]));
    const cells = (t: Tokens.Table) =>
      t.rows.map((r) => r.map((c) => c.tokens.map((k) => (k.type === "codespan" ? `[${(k as Tokens.Codespan).text}]` : k.raw)).join("")));
    expect(cells(tables[0] as Tokens.Table)).toEqual([
      ["**weakening**", '[tool "x"] rule added', "—", "[soft allow always]", "[sequrity.config.yaml:3:52]"],
      // The `|` of the set union stays inside its cell.
      ["**weakening**", '[tool "send_email"] rule removed', '[hard deny when x.tags overlaps ({"a"} | {"b"})]', "—", "[before: sequrity.config.yaml:3:61]"],
      ["neutral", "[config.fsm.max_n_turns] added", "—", "[3]", "[sequrity.config.yaml:5:37]"],
    ]);
    const paragraphs = tokens.filter((t): t is Tokens.Paragraph => t.type === "paragraph").map((t) => t.text);
    expect(paragraphs).toEqual(["**Summary:** 7 weakening, 0 tightening, 0 review, 2 neutral", "A new environment: every header it sends is new."]);
  });

  it("markdown: code spans hold backticks, and unchanged environments are named in one line", async () => {
    const r = await reviewOf(
      'version: 1\nenvironments:\n  a: {}\n  b: {config: {fsm: {detect_tool_error_regex_pattern: "``"}}}\n',
      'version: 1\nenvironments:\n  a: {}\n  b: {config: {fsm: {detect_tool_error_regex_pattern: "`"}}}\n',
    );
    const tokens = marked.lexer(reviewMarkdown(r));
    const table = tokens.find((t): t is Tokens.Table => t.type === "table") as Tokens.Table;
    expect(table.rows[0]?.slice(2, 4).map((c) => (c.tokens[0] as Tokens.Codespan).text)).toEqual(['"``"', '"`"']);
    expect(
      tokens
        .filter((t) => t.type === "paragraph")
        .map((t) => (t as Tokens.Paragraph).text)
        .at(-1),
    ).toBe("Unchanged: a");
  });

  it("text, markdown and github show control and bidi characters from the files escaped, so a change cannot restyle or hide the lines around it", async () => {
    const r = await reviewOf(
      'version: 1\nenvironments:\n  e:\n    policy: {codes: {code: "tool \\"t\\e[8m\\" { hard deny when x.tags overlaps {\\"a\\e[2J\\"}; }"}}\n    config: {$overrides: {k: "v\\u202e"}}\n',
      'version: 1\nenvironments:\n  e:\n    policy: {codes: {code: "tool \\"t\\e[8m\\" { hard deny when x.tags overlaps {\\"b\\x9b\\"}; }"}}\n    config: {$overrides: {k: "w\\u202e"}}\n',
    );
    const outputs = [reviewText(r), reviewMarkdown(r), reviewGithub(r)];
    for (const out of outputs) expect([...out].filter((ch) => /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/.test(ch))).toEqual([]);
    expect(reviewText(r).split("\n").slice(1, 4)).toEqual([
      "e: changed",
      '  review  config.k changed: "v\\u202e" → "w\\u202e"  (sequrity.config.yaml:5:30)',
      '  review  tool "t\\u001b[8m" condition changed: hard deny when x.tags overlaps {"a\\x1b[2J"} → hard deny when x.tags overlaps {"b\\x9b"}  (sequrity.config.yaml:4:47)',
    ]);
  });
});
