// `policy check` and `policy fmt` run in-process through main(): exact stdout, stderr and exit status.
import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempProject } from "../helpers.js";
import { runWithStdin as run } from "./capture.js";

const UNDEFINED_B = "'B' is not defined by any let (to use a tool argument, write 'B.tags' or 'B.value')";

describe("policy check", () => {
  it("prints FILE:LINE:COL: error: MESSAGE with a code frame, names files as given relative to the working directory, and exits 1", async () => {
    const dir = tempProject({ "p/bad.sqrt": "let A = x.tags is empty;\nlet B = A C;\n", "p/ok.sqrt": "let A = x.tags is empty;\n" });
    expect(await run(["policy", "check", "p/bad.sqrt", "p/ok.sqrt"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: "p/bad.sqrt:2:11: error: expected ';' after let value, found 'C'\n  2 | let B = A C;\n    |           ^\n1 error\n",
    });
  });

  it("passes with warnings; --strict labels them errors and fails, as validate --strict does", async () => {
    const dir = tempProject({ "w.sqrt": "let A = B;\n" });
    const frame = "  1 | let A = B;\n    |         ^\n";
    expect(await run(["policy", "check", "w.sqrt"], dir)).toEqual({ code: 0, stdout: "", stderr: `w.sqrt:1:9: warning: ${UNDEFINED_B}\n${frame}1 warning\n` });
    expect(await run(["policy", "check", "--strict", "w.sqrt"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: `w.sqrt:1:9: error: ${UNDEFINED_B}\n${frame}1 error\n`,
    });
  });

  it("--quiet prints errors only", async () => {
    const dir = tempProject({ "w.sqrt": "let A = B;\n", "bad.sqrt": "let x = ;\n" });
    expect(await run(["policy", "check", "--quiet", "w.sqrt"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(await run(["policy", "check", "-q", "w.sqrt", "bad.sqrt"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: "bad.sqrt:1:9: error: expected a predicate or a set expression, found ';'\n  1 | let x = ;\n    |         ^\n1 error\n",
    });
  });

  it("--format json prints the array of product.md: one entry per file, with codes, warnings and related places", async () => {
    const dir = tempProject({
      "w.sqrt": "let A = B;\n",
      "p.cedar": "permit(principal, action, resource);",
      "u.sqrt": 'tool "t" {\n    hard allow always;\n    should deny always;\n}\n',
    });
    const { code, stdout, stderr } = await run(["policy", "check", "--format", "json", "w.sqrt", "p.cedar", "u.sqrt", "missing.sqrt"], dir);
    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    expect(JSON.parse(stdout)).toEqual([
      { file: "w.sqrt", valid: true, errors: [], warnings: [{ line: 1, column: 9, message: UNDEFINED_B, code: "undefined-name" }] },
      { file: "p.cedar", valid: true, errors: [], warnings: [] },
      {
        file: "u.sqrt",
        valid: true,
        errors: [],
        warnings: [
          {
            line: 3,
            column: 5,
            message: "this rule can never apply: 'hard allow always' applies to every call to tool \"t\", and hard rules are taken before soft ones",
            code: "unreachable-rule",
            related: [{ line: 2, column: 5, message: "'hard allow always' is here" }],
          },
        ],
      },
      {
        file: "missing.sqrt",
        valid: false,
        errors: [{ line: null, column: null, message: "cannot read policy file missing.sqrt: not found", code: "file-not-found" }],
        warnings: [],
      },
    ]);
  });

  it("--format json --strict moves warnings into errors and reports valid: false; --quiet leaves warnings out", async () => {
    const dir = tempProject({ "w.sqrt": "let A = B;\n" });
    const strict = await run(["policy", "check", "--format", "json", "--strict", "w.sqrt"], dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe(
      JSON.stringify(
        [{ file: "w.sqrt", valid: false, errors: [{ line: 1, column: 9, message: UNDEFINED_B, code: "undefined-name" }], warnings: [] }],
        null,
        2,
      ) + "\n",
    );
    const quiet = await run(["policy", "check", "--format", "json", "--quiet", "w.sqrt"], dir);
    expect(quiet).toEqual({ code: 0, stdout: JSON.stringify([{ file: "w.sqrt", valid: true, errors: [], warnings: [] }], null, 2) + "\n", stderr: "" });
  });

  it("--format github prints one workflow-command annotation per problem on stdout", async () => {
    const dir = tempProject({ "w.sqrt": "let A = B;\n", "p.cedar": "permit(principal action, resource);" });
    expect(await run(["policy", "check", "--format", "github", "w.sqrt", "p.cedar", "gone.sqrt"], dir)).toEqual({
      code: 1,
      stdout:
        `::warning file=w.sqrt,line=1,col=9,title=undefined-name::${UNDEFINED_B}\n` +
        "::error file=p.cedar,line=1,col=18,title=cedar-syntax::unexpected token `action`; expected `!=`, `)`, `,`, `:`, `<`, `<=`, `==`, `>`, `>=`, `in`, or `is`\n" +
        "::error file=gone.sqrt,title=file-not-found::cannot read policy file gone.sqrt: not found\n",
      stderr: "",
    });
    const strict = await run(["policy", "check", "--format", "github", "--strict", "w.sqrt"], dir);
    expect(strict).toEqual({ code: 1, stdout: `::error file=w.sqrt,line=1,col=9,title=undefined-name::${UNDEFINED_B}\n`, stderr: "" });
  });

  it("checks .cedar files as Cedar", async () => {
    const dir = tempProject({ "p.cedar": "permit(principal action, resource);" });
    expect(await run(["policy", "check", "p.cedar"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "p.cedar:1:18: error: unexpected token `action`; expected `!=`, `)`, `,`, `:`, `<`, `<=`, `==`, `>`, `>=`, `in`, or `is`\n" +
        "  1 | permit(principal action, resource);\n" +
        "    |                  ^^^^^^\n" +
        "1 error\n",
    });
  });

  it("--format accepts only text, json and github (exit 2)", async () => {
    const dir = tempProject({ "w.sqrt": "let A = {};\n" });
    const { code, stderr } = await run(["policy", "check", "--format", "xml", "w.sqrt"], dir);
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe("error: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json, github.");
  });
});

describe("policy fmt", () => {
  const messy = 'tool "a"{must deny always;}\n';
  const tidy = 'tool "a" {\n    must deny always;\n}\n';

  it("prints formatted code to stdout and leaves the file alone", async () => {
    const dir = tempProject({ "a.sqrt": messy });
    expect(await run(["policy", "fmt", "a.sqrt"], dir)).toEqual({ code: 0, stdout: tidy, stderr: "" });
    expect(readFileSync(join(dir, "a.sqrt"), "utf8")).toBe(messy);
  });

  it("--check lists unformatted files and writes nothing", async () => {
    const dir = tempProject({ "a.sqrt": messy, "b.sqrt": tidy });
    expect(await run(["policy", "fmt", "--check", "a.sqrt", "b.sqrt"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: "a.sqrt: not formatted\n1 file not formatted (run 'sequrity-config policy fmt --write')\n",
    });
    expect(readFileSync(join(dir, "a.sqrt"), "utf8")).toBe(messy);
    expect(await run(["policy", "fmt", "--check", "b.sqrt"], dir)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("--write rewrites changed files only, leaving no temp files", async () => {
    const dir = tempProject({ "a.sqrt": messy, "b.sqrt": tidy });
    const before = statSync(join(dir, "b.sqrt")).mtimeMs;
    expect(await run(["policy", "fmt", "--write", "a.sqrt", "b.sqrt"], dir)).toEqual({ code: 0, stdout: "", stderr: "formatted a.sqrt\n" });
    expect(readFileSync(join(dir, "a.sqrt"), "utf8")).toBe(tidy);
    expect(statSync(join(dir, "b.sqrt")).mtimeMs).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(["a.sqrt", "b.sqrt"]);
  });

  it("reports invalid files with their location, writes nothing and exits 1", async () => {
    const dir = tempProject({ "bad.sqrt": "let x = ;\n" });
    expect(await run(["policy", "fmt", "--write", "bad.sqrt"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: "bad.sqrt:1:9: error: expected a predicate or a set expression, found ';'\n  1 | let x = ;\n    |         ^\n",
    });
    expect(readFileSync(join(dir, "bad.sqrt"), "utf8")).toBe("let x = ;\n");
  });

  it("--write and --check together are a usage error (exit 2)", async () => {
    const dir = tempProject({ "a.sqrt": messy });
    expect(await run(["policy", "fmt", "--write", "--check", "a.sqrt"], dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: --write and --check cannot be used together\n",
    });
  });

  it("--write writes through a symlink and keeps the file's mode", async () => {
    const dir = tempProject({ "real.sqrt": "let   x = {};\n" });
    chmodSync(join(dir, "real.sqrt"), 0o640);
    symlinkSync(join(dir, "real.sqrt"), join(dir, "link.sqrt"));
    expect(await run(["policy", "fmt", "--write", "link.sqrt"], dir)).toEqual({ code: 0, stdout: "", stderr: "formatted link.sqrt\n" });
    expect(lstatSync(join(dir, "link.sqrt")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "real.sqrt"), "utf8")).toBe("let x = {};\n");
    expect(statSync(join(dir, "real.sqrt")).mode & 0o777).toBe(0o640);
  });
});
