// `policy fmt` on Cedar (the official formatter, through cedar-wasm) and on files with CRLF line
// ends or a byte-order mark, which are kept; Cedar input too deep for its parser is an error, not a crash.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileYaml, errorLines, tempProject } from "../helpers.js";
import { runWithStdin as run } from "./capture.js";

const NOT_FORMATTED = (name: string) => `${name}: not formatted\n1 file not formatted (run 'sequrity-config policy fmt --write')\n`;

describe("Cedar", () => {
  const messy =
    'permit(principal == User::"alice", action in [Action::"read", Action::"write"], resource) when { principal.department == "engineering" && resource.owner == principal };';
  const tidy =
    'permit (\n  principal == User::"alice",\n  action in [Action::"read", Action::"write"],\n  resource\n)\nwhen { principal.department == "engineering" && resource.owner == principal };\n';

  it("fmt prints the Cedar formatter's layout; --check and --write work on .cedar files", async () => {
    const dir = tempProject({ "p.cedar": messy });
    expect(await run(["policy", "fmt", "p.cedar"], dir)).toEqual({ code: 0, stdout: tidy, stderr: "" });
    expect(await run(["policy", "fmt", "--check", "p.cedar"], dir)).toEqual({ code: 1, stdout: "", stderr: NOT_FORMATTED("p.cedar") });
    expect(await run(["policy", "fmt", "--write", "p.cedar"], dir)).toEqual({ code: 0, stdout: "", stderr: "formatted p.cedar\n" });
    expect(readFileSync(join(dir, "p.cedar"), "utf8")).toBe(tidy);
    expect(await run(["policy", "fmt", "--check", "p.cedar"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("keeps comments", async () => {
    const dir = tempProject({ "p.cedar": "// who may read\npermit(principal,action,resource); // everyone\n" });
    expect((await run(["policy", "fmt", "p.cedar"], dir)).stdout).toBe("// who may read\npermit (principal, action, resource); // everyone\n");
  });

  it("a syntax error is reported at its place, as policy check reports it, and nothing is written", async () => {
    const dir = tempProject({ "p.cedar": "// é\npermit(principal action, resource);" });
    const error =
      "p.cedar:2:18: error: unexpected token `action`; expected `!=`, `)`, `,`, `:`, `<`, `<=`, `==`, `>`, `>=`, `in`, or `is`\n  2 | permit(principal action, resource);\n    |                  ^^^^^^\n";
    expect(await run(["policy", "fmt", "--write", "p.cedar"], dir)).toEqual({ code: 1, stdout: "", stderr: error });
    expect((await run(["policy", "check", "p.cedar"], dir)).stderr).toBe(error + "1 error\n");
    expect(readFileSync(join(dir, "p.cedar"), "utf8")).toBe("// é\npermit(principal action, resource);");
  });

  it("input too deep for the Cedar parser is a nesting-too-deep error, and the files after it are still checked", async () => {
    const deep = `permit(principal, action, resource) when { ${"(".repeat(200)}true${")".repeat(200)} };`;
    const dir = tempProject({ "deep.cedar": deep, "ok.cedar": "permit(principal, action, resource);", "bad.cedar": "permit(principal action, resource);" });
    const limit = "the Cedar parser ran out of stack on this policy set (an expression nested or chained too deeply); split or simplify it";
    expect(await run(["policy", "check", "--format", "github", "deep.cedar", "ok.cedar", "bad.cedar"], dir)).toEqual({
      code: 1,
      stdout:
        `::error file=deep.cedar,line=1,col=1,title=nesting-too-deep::${limit}\n` +
        "::error file=bad.cedar,line=1,col=18,title=cedar-syntax::unexpected token `action`; expected `!=`, `)`, `,`, `:`, `<`, `<=`, `==`, `>`, `>=`, `in`, or `is`\n",
      stderr: "",
    });
    const fmt = await run(["policy", "fmt", "deep.cedar", "ok.cedar"], dir);
    expect(fmt).toEqual({
      code: 1,
      stdout: "permit (principal, action, resource);\n",
      stderr: `deep.cedar:1:1: error: ${limit}\n  1 | ${deep.slice(0, 198)}…\n    | ^\n`,
    });
  });

  it("validate reports Cedar code too deep for its parser at the code, instead of crashing", async () => {
    const code = `permit(principal, action, resource) when { ${"(".repeat(200)}true${")".repeat(200)} };`;
    const result = await compileYaml(`version: 1\nenvironments:\n  prod:\n    policy:\n      codes: { language: cedar, code: '${code}' }\n`);
    expect(result.compiled).toBeUndefined();
    expect(errorLines(result)[0]).toBe(
      "sequrity.config.yaml:5:40: error: the Cedar parser ran out of stack on this policy set (an expression nested or chained too deeply); split or simplify it (environment prod)",
    );
  });
});

describe("line ends and byte-order marks are kept", () => {
  const messySqrt = 'tool "a"{must deny always;}\r\n// note\r\nlet x={};\r\n';
  const tidySqrt = 'tool "a" {\r\n    must deny always;\r\n}\r\n// note\r\nlet x = {};\r\n';

  it("a CRLF SQRT file is formatted with CRLF line ends (stdout and --write), and --check accepts the result", async () => {
    const dir = tempProject({ "a.sqrt": messySqrt });
    expect((await run(["policy", "fmt", "a.sqrt"], dir)).stdout).toBe(tidySqrt);
    expect(await run(["policy", "fmt", "--write", "a.sqrt"], dir)).toEqual({ code: 0, stdout: "", stderr: "formatted a.sqrt\n" });
    expect(readFileSync(join(dir, "a.sqrt"), "utf8")).toBe(tidySqrt);
    expect(await run(["policy", "fmt", "--check", "a.sqrt"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("a CRLF Cedar file keeps CRLF", async () => {
    const dir = tempProject({ "p.cedar": "permit(principal,action,resource) when { context.x == 1 };\r\nforbid(principal, action, resource);\r\n" });
    expect(await run(["policy", "fmt", "--write", "p.cedar"], dir)).toEqual({ code: 0, stdout: "", stderr: "formatted p.cedar\n" });
    expect(readFileSync(join(dir, "p.cedar"), "utf8")).toBe(
      "permit (principal, action, resource)\r\nwhen { context.x == 1 };\r\n\r\nforbid (principal, action, resource);\r\n",
    );
    expect(await run(["policy", "fmt", "--check", "p.cedar"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("a file with mixed line ends is made LF throughout", async () => {
    const dir = tempProject({ "a.sqrt": "let x = {};\r\nlet y = {};\n" });
    expect(await run(["policy", "fmt", "--check", "a.sqrt"], dir)).toEqual({ code: 1, stdout: "", stderr: NOT_FORMATTED("a.sqrt") });
    expect((await run(["policy", "fmt", "a.sqrt"], dir)).stdout).toBe("let x = {};\nlet y = {};\n");
  });

  it("a byte-order mark is kept by --write and on stdout, is not a formatting difference, and moves no column", async () => {
    const dir = tempProject({ "a.sqrt": "\ufefflet   x = B;\r\n", "p.cedar": "\ufeffpermit(principal,action,resource);\n" });
    expect((await run(["policy", "check", "a.sqrt"], dir)).stderr.split("\n")[0]).toBe(
      "a.sqrt:1:11: warning: 'B' is not defined by any let (to use a tool argument, write 'B.tags' or 'B.value')",
    );
    expect((await run(["policy", "fmt", "a.sqrt"], dir)).stdout).toBe("\ufefflet x = B;\r\n");
    expect(await run(["policy", "fmt", "--write", "a.sqrt", "p.cedar"], dir)).toEqual({ code: 0, stdout: "", stderr: "formatted a.sqrt\nformatted p.cedar\n" });
    expect(readFileSync(join(dir, "a.sqrt")).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(readFileSync(join(dir, "a.sqrt"), "utf8")).toBe("\ufefflet x = B;\r\n");
    expect(readFileSync(join(dir, "p.cedar"), "utf8")).toBe("\ufeffpermit (principal, action, resource);\n");
    expect(await run(["policy", "fmt", "--check", "a.sqrt", "p.cedar"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("stdin keeps its byte-order mark and CRLF too", async () => {
    expect(await run(["policy", "fmt", "-"], tempProject({}), "\ufeff" + messySqrt)).toEqual({ code: 0, stdout: "\ufeff" + tidySqrt, stderr: "" });
  });
});
