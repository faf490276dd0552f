// Operator chains as long as a policy file can hold go through every stage without recursion:
// parse, lint, format (same tree, idempotent), minify, `policy check`, `policy fmt` and compile.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkPolicyCode, formatSqrt, minifySqrt, parseSqrt } from "../../src/check/index.js";
import type * as A from "../../src/check/sqrt/ast.js";
import { sameTree } from "../../src/check/sqrt/ast.js";
import { policyCheck, policyFmt } from "../../src/cli/policy.js";
import { compileYaml, errorLines, freshDir } from "../helpers.js";
import { capture } from "./capture.js";

const N = 6000;
const operands = Array.from({ length: N }, (_, i) => `a${i}.tags is empty`);
/** The formatted program: one rule whose condition is a 6,000-operand `or` chain. */
const orChain = `tool "t" {\n    must deny when ${operands.join(" or ")};\n}\n`;
/** The same program laid out badly. */
const messyOr = `tool "t"{must deny when ${operands.join("\n  or  ")} ;}`;

/** Every set operator spelling, in turn, over 6,000 operands, with a `with` now and then. */
const SET_OPS = ["|", "union", "&", "intersect", "-", "minus", "^", "xor"];
const setOperand = (i: number): string => (i % 7 === 3 ? `{"s${i}"} with "w${i}"` : `{"s${i}"}`);
const setChain = `let S = ${Array.from({ length: N }, (_, i) => (i === 0 ? "" : ` ${SET_OPS[i % SET_OPS.length]} `) + setOperand(i)).join("")};\n`;
const pipeChain = `let S = ${Array.from({ length: N }, (_, i) => `{"s${i}"}`).join(" | ")};\n`;

function ruleCondition(ast: A.Program | null): A.Pred {
  const tool = ast?.declarations[0];
  if (tool?.kind !== "Tool" || tool.members[0]?.kind !== "Check" || !tool.members[0].when) throw new Error("not a rule");
  return tool.members[0].when;
}

/** The names of the arguments along a left-associative `or` chain, left to right. */
function orOperands(e: A.Pred): string[] {
  const names: string[] = [];
  const argOf = (p: A.Pred): string => (p.kind === "SetCmp" && p.left.kind === "Field" && typeof p.left.base === "object" ? p.left.base.name : `?${p.kind}`);
  let node = e;
  while (node.kind === "Or") {
    names.push(argOf(node.right));
    node = node.left;
  }
  names.push(argOf(node));
  return names.reverse();
}

describe("a 6,000-operand 'or' chain", () => {
  it("parses to a left-associative chain, ranges spanning its operands", () => {
    const cond = ruleCondition(parseSqrt(orChain).ast);
    expect(orOperands(cond)).toEqual(Array.from({ length: N }, (_, i) => `a${i}`));
    const start = orChain.indexOf("a0.tags");
    expect(cond.range).toEqual({ start, end: orChain.indexOf(";") });
  });

  it("lints: exactly the one undefined name at its end", async () => {
    const code = orChain.replace(";", " or Missing;");
    expect(await checkPolicyCode(code, "sqrt")).toEqual([
      {
        severity: "warning",
        code: "undefined-name",
        message: "'Missing' is not defined by any let (to use a tool argument, write 'Missing.tags' or 'Missing.value')",
        offset: code.indexOf("Missing"),
        length: 7,
        line: 2,
        column: code.indexOf("Missing") - 10,
      },
    ]);
  });

  it("formats to one line, to the same tree, idempotently", () => {
    const once = formatSqrt(messyOr);
    expect(once).toEqual({ ok: true, text: orChain, diagnostics: [] });
    expect(sameTree(parseSqrt(once.text).ast, parseSqrt(messyOr).ast)).toBe(true);
    expect(formatSqrt(once.text).text).toBe(once.text);
  });

  it("minifies to the same tree", () => {
    const min = minifySqrt(messyOr);
    expect(min).toEqual({ ok: true, text: `tool "t"{must deny when ${operands.join(" or ")};}`, diagnostics: [] });
    expect(sameTree(parseSqrt(min.text).ast, parseSqrt(messyOr).ast)).toBe(true);
  });

  it("an 'and' chain and mixed 'and'/'or' keep their precedence", () => {
    const code = `let P = ${operands.map((o, i) => (i === 0 ? o : `${i % 3 === 0 ? " or " : " and "}${o}`)).join("")};\n`;
    const once = formatSqrt(code);
    expect(once.text).toBe(code);
    const value = parseSqrt(code).ast?.declarations[0];
    // `a and b and c or d and ...`: the top is `or`, its right an `and` chain of the last three.
    expect(value?.kind === "Let" && value.value.kind === "Or" && value.value.right.kind).toBe("And");
  });
});

describe("a 6,000-operand set operator chain", () => {
  it("formats every operator spelling, with 'with', to the same tree, idempotently", () => {
    const messy = setChain.replace(/ (\||&|-|\^) /g, "$1").replace(/ (union|intersect|minus|xor) /g, "\n\t$1  ");
    expect(messy).not.toBe(setChain);
    const once = formatSqrt(messy);
    expect(once).toEqual({ ok: true, text: setChain, diagnostics: [] });
    expect(sameTree(parseSqrt(once.text).ast, parseSqrt(messy).ast)).toBe(true);
    expect(formatSqrt(once.text).text).toBe(once.text);
  });

  it("parses '|' chains left-associatively and lints them", async () => {
    const ast = parseSqrt(pipeChain).ast;
    let e = ast?.declarations[0]?.kind === "Let" ? ast.declarations[0].value : null;
    let links = 0;
    while (e?.kind === "SetBinary" && e.op === "|" && e.right.kind === "SetLiteral") {
      links++;
      e = e.left;
    }
    expect([links, e?.kind]).toEqual([N - 1, "SetLiteral"]);
    expect(await checkPolicyCode(pipeChain.replace(";", " | Undefined;"), "sqrt")).toMatchObject([
      { code: "undefined-name", message: expect.stringMatching(/^'Undefined' is not defined/) },
    ]);
  });

  it("minifies '|' chains", () => {
    const min = minifySqrt(pipeChain);
    expect(min).toEqual({ ok: true, text: `let S=${Array.from({ length: N }, (_, i) => `{"s${i}"}`).join("|")};`, diagnostics: [] });
    expect(sameTree(parseSqrt(min.text).ast, parseSqrt(pipeChain).ast)).toBe(true);
  });
});

describe("1,000 levels of parentheses, the most the parser takes", () => {
  const deep = `tool "t" {\n    must deny when ${"(".repeat(1000)}x.tags == Missing${")".repeat(1000)};\n}\n`;

  it("lint, format and minify walk them", async () => {
    expect((await checkPolicyCode(deep, "sqrt")).map((i) => [i.code, i.offset])).toEqual([["undefined-name", deep.indexOf("Missing")]]);
    expect(formatSqrt(deep.replace("when ", "when\n")).text).toBe(deep);
    expect(minifySqrt(deep).text).toBe(`tool "t"{must deny when${"(".repeat(1000)}x.tags==Missing${")".repeat(1000)};}`);
  });
});

describe("a chain of 100,000 'not's", () => {
  const code = `let x = ${"not ".repeat(100000)}a;\n`;

  it("lints, formats and minifies", async () => {
    expect((await checkPolicyCode(code, "sqrt")).map((i) => [i.code, i.offset])).toEqual([["undefined-name", 400008]]);
    expect(formatSqrt(code.replace(/not /g, "not\n")).text).toBe(code);
    expect(minifySqrt(code).text).toBe(code.slice(0, -1).replace(/ = /, "="));
  });
});

describe("policy check / policy fmt on a 6,000-operand chain", () => {
  const dir = freshDir("sqrt-chain-");
  const withMissing = orChain.replace(";", " or Missing;");

  it("policy check prints the warning with a frame clipped around it", async () => {
    const file = join(dir, "chain.sqrt");
    writeFileSync(file, withMissing);
    const { out, io } = capture();
    expect(await policyCheck([file], { format: "text", strict: false }, io)).toBe(0);
    const line = withMissing.split("\n")[1] as string;
    const col = line.indexOf("Missing");
    // Clipped on the left only: an ellipsis, then the last 198 columns of the line, the caret under 'Missing'.
    const shown = line.slice(line.length - 198);
    expect(out.stderr).toBe(
      `${file}:2:${col + 1}: warning: 'Missing' is not defined by any let (to use a tool argument, write 'Missing.tags' or 'Missing.value')\n` +
        `  2 | …${shown}\n` +
        `    |  ${" ".repeat(shown.indexOf("Missing"))}^^^^^^^\n` +
        "1 warning\n",
    );
    const json = capture();
    expect(await policyCheck([file], { format: "json", strict: false }, json.io)).toBe(0);
    expect(JSON.parse(json.out.stdout)[0].warnings).toEqual([
      { line: 2, column: col + 1, message: expect.stringMatching(/^'Missing' is not defined/), code: "undefined-name" },
    ]);
  });

  it("policy fmt formats it and --check accepts the result", async () => {
    const file = join(dir, "messy.sqrt");
    writeFileSync(file, messyOr);
    const { out, io } = capture();
    expect(await policyFmt([file], { write: false, check: false }, io)).toBe(0);
    expect(out).toEqual({ stdout: orChain, stderr: "" });
    writeFileSync(file, orChain);
    expect(await policyFmt([file], { write: false, check: true }, capture().io)).toBe(0);
  });

  it("parentheses nested too deep are a located error for policy check and policy fmt", async () => {
    const file = join(dir, "deep.sqrt");
    const code = `let x = ${"(".repeat(1001)}a${")".repeat(1001)};\n`;
    writeFileSync(file, code);
    const check = capture();
    expect(await policyCheck([file], { format: "text", strict: false }, check.io)).toBe(1);
    expect(check.out.stderr).toBe(
      `${file}:1:1009: error: parentheses nested more than 1000 levels deep\n  1 | …${"(".repeat(100)}a${")".repeat(97)}…\n    |  ${" ".repeat(99)}^\n1 error\n`,
    );
    const fmt = capture();
    expect(await policyFmt([file], { write: true, check: false }, fmt.io)).toBe(1);
    expect(fmt.out.stderr).toBe(check.out.stderr.replace("1 error\n", ""));
  });

  it("validate compiles a policy file holding it", async () => {
    const yaml = "version: 1\nenvironments:\n  prod:\n    policy:\n      codes: {file: chain.sqrt}\n";
    const result = await compileYaml(yaml, { "chain.sqrt": withMissing });
    expect(result.compiled?.environments.map((e) => e.name)).toEqual(["prod"]);
    const col = (withMissing.split("\n")[1] as string).indexOf("Missing") + 1;
    expect(errorLines(result)).toEqual([
      `chain.sqrt:2:${col}: warning: 'Missing' is not defined by any let (to use a tool argument, write 'Missing.tags' or 'Missing.value') (environment prod)`,
      "sequrity.config.yaml:5:7: warning: X-Policy is 136979 bytes, over the budget of 8192 (checks.max_header_bytes); proxies and servers often refuse headers this large (environment prod)",
    ]);
  });
});
