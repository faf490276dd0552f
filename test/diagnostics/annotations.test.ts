// GitHub annotations (validate/build --format github, policy check --format github, review --format
// github) are written one way: control characters in the title and message are escaped as the text
// format escapes them, and `file=` is the real path, or absent when no annotation can carry it.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { githubAnnotation, workflowCommand } from "../../src/diagnostics/index.js";
import { reviewGithub } from "../../src/review/github.js";
import { reviewOf } from "../review/support.js";
import { runCli, tempProject } from "../helpers.js";

const ESC = "\x1b";
const EOF_MESSAGE = "expected 'priority', 'must', 'hard', 'should', 'soft', 'result', 'session' or '}', found end of input";

describe("annotations never carry a raw control character", () => {
  it("policy check --format github names a file holding ESC in the message, escaped, without file=", async () => {
    const dir = tempProject({ [`x${ESC}[31my.sqrt`]: 'tool "x" {\n', "a,b%:c.sqrt": 'tool "x" {\n' });
    expect(await runCli(["policy", "check", "--format", "github", `x${ESC}[31my.sqrt`, "a,b%:c.sqrt"], dir)).toEqual({
      code: 1,
      stdout:
        `::error title=sqrt-syntax::x\\x1b[31my.sqrt:2:1: ${EOF_MESSAGE}\n` + `::error file=a%2Cb%25%3Ac.sqrt,line=2,col=1,title=sqrt-syntax::${EOF_MESSAGE}\n`,
      stderr: "",
    });
  });

  it("validate --format github does the same for a policy file the config names", async () => {
    const dir = tempProject({ "sequrity.config.yaml": 'version: 1\nenvironments:\n  dev: {policy: {codes: {file: "p\\e.sqrt"}}}\n' });
    writeFileSync(path.join(dir, `p${ESC}.sqrt`), 'tool "x" {\n');
    expect(await runCli(["validate", "--format", "github"], dir)).toEqual({
      code: 1,
      stdout: `::error title=sqrt-syntax::p\\x1b.sqrt:2:1: ${EOF_MESSAGE} (environment dev)\n`,
      stderr: "",
    });
  });

  it("review --format github leaves file= out for such a policy file, and names it in the message", async () => {
    const before = "version: 1\nenvironments:\n  e: {}\n";
    const after = 'version: 1\nenvironments:\n  e: {policy: {codes: {file: "pol/x\\e.sqrt"}}}\n';
    const review = await reviewOf(before, after, { after: { [`pol/x${ESC}.sqrt`]: 'tool "x" {\n    soft allow always;\n}\n' } });
    expect(reviewGithub(review).split("\n")).toEqual([
      '::warning file=sequrity.config.yaml,line=3,title=review%3A e::policy.codes.language added: "sqrt"',
      '::warning title=weakening%3A e::pol/x\\x1b.sqrt:2: tool "x" rule added: soft allow always',
      "",
    ]);
  });

  it("escapes control characters in the title and every message line, and GitHub's own characters after", () => {
    expect(workflowCommand("notice", { file: "a.yaml", line: 3 }, `t${ESC}:1`, [`50% a${ESC}[2J`, "b\u202ec\r"])).toBe(
      "::notice file=a.yaml,line=3,title=t\\x1b%3A1::50%25 a\\x1b[2J%0Ab\\u202ec\\x0d",
    );
    expect(
      githubAnnotation({
        code: "sqrt-syntax",
        severity: "error",
        message: `bad ${ESC}]0;x${"\x07"}`,
        location: { file: "a.sqrt", line: 1, column: 2 },
        notes: ["n\r\nm"],
      }),
    ).toBe("::error file=a.sqrt,line=1,col=2,title=sqrt-syntax::bad \\x1b]0;x\\x07%0Anote: n\\x0d\\x0am");
  });
});
