import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { policyCheck, policyFmt } from "../../src/cli/policy.js";
import { freshDir } from "../helpers.js";
import { capture } from "./capture.js";

function dir(files: Record<string, string>): string {
  const d = freshDir("sqrt-cli-");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe("policyCheck", () => {
  it("prints FILE:LINE:COL: error: MESSAGE with a code frame and exits 1", async () => {
    const d = dir({ "bad.sqrt": "let A = x.tags is empty;\nlet B = A C;\n", "ok.sqrt": "let A = x.tags is empty;\n" });
    const { out, io } = capture();
    const bad = join(d, "bad.sqrt");
    expect(await policyCheck([bad, join(d, "ok.sqrt")], { format: "text", strict: false }, io)).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toBe(`${bad}:2:11: error: expected ';' after let value, found 'C'\n  2 | let B = A C;\n    |           ^\n1 error\n`);
  });

  it("writes one JSON entry per file, with warnings; missing files are errors", async () => {
    const d = dir({ "w.sqrt": "let A = B;\n", "p.cedar": "permit(principal, action, resource);" });
    const { out, io } = capture();
    const files = [join(d, "w.sqrt"), join(d, "p.cedar"), join(d, "missing.sqrt")];
    expect(await policyCheck(files, { format: "json", strict: false }, io)).toBe(1);
    expect(JSON.parse(out.stdout)).toEqual([
      { file: files[0], valid: true, errors: [], warnings: [{ line: 1, column: 9, message: "'B' is not defined by any let (to use a tool argument, write 'B.tags' or 'B.value')", code: "undefined-name" }] },
      { file: files[1], valid: true, errors: [], warnings: [] },
      { file: files[2], valid: false, errors: [{ line: 0, column: 0, message: "cannot read file (no such file)", code: "read-failed" }], warnings: [] },
    ]);
    expect(out.stderr).toBe("");
  });

  it("passes with warnings, fails with them under --strict", async () => {
    const d = dir({ "w.sqrt": "let A = B;\n" });
    const f = join(d, "w.sqrt");
    const lenient = capture();
    expect(await policyCheck([f], { format: "text", strict: false }, lenient.io)).toBe(0);
    expect(lenient.out.stderr).toBe(`${f}:1:9: warning: 'B' is not defined by any let (to use a tool argument, write 'B.tags' or 'B.value')\n  1 | let A = B;\n    |         ^\n1 warning\n`);
    const strict = capture();
    expect(await policyCheck([f], { format: "text", strict: true }, strict.io)).toBe(1);
  });

  it("checks .cedar files as Cedar", async () => {
    const d = dir({ "p.cedar": "permit(principal action, resource);" });
    const { out, io } = capture();
    expect(await policyCheck([join(d, "p.cedar")], { format: "text", strict: false }, io)).toBe(1);
    expect(out.stderr).toMatch(/p\.cedar:1:18: error: unexpected token `action`/);
  });
});

describe("policyFmt", () => {
  const messy = 'tool "a"{must deny always;}\n';
  const tidy = 'tool "a" {\n    must deny always;\n}\n';

  it("prints formatted code to stdout", async () => {
    const d = dir({ "a.sqrt": messy });
    const { out, io } = capture();
    expect(await policyFmt([join(d, "a.sqrt")], { write: false, check: false }, io)).toBe(0);
    expect(out.stdout).toBe(tidy);
    expect(readFileSync(join(d, "a.sqrt"), "utf8")).toBe(messy);
  });

  it("--check lists unformatted files and writes nothing", async () => {
    const d = dir({ "a.sqrt": messy, "b.sqrt": tidy });
    const { out, io } = capture();
    const a = join(d, "a.sqrt");
    expect(await policyFmt([a, join(d, "b.sqrt")], { write: false, check: true }, io)).toBe(1);
    expect(out.stderr).toBe(`${a}: not formatted\n1 file not formatted (run 'sequrity-config policy fmt --write')\n`);
    expect(readFileSync(a, "utf8")).toBe(messy);
    const clean = capture();
    expect(await policyFmt([join(d, "b.sqrt")], { write: false, check: true }, clean.io)).toBe(0);
  });

  it("--write rewrites changed files only, leaving no temp files", async () => {
    const d = dir({ "a.sqrt": messy, "b.sqrt": tidy });
    const before = statSync(join(d, "b.sqrt")).mtimeMs;
    const { out, io } = capture();
    expect(await policyFmt([join(d, "a.sqrt"), join(d, "b.sqrt")], { write: true, check: false }, io)).toBe(0);
    expect(readFileSync(join(d, "a.sqrt"), "utf8")).toBe(tidy);
    expect(statSync(join(d, "b.sqrt")).mtimeMs).toBe(before);
    expect(readdirSync(d).sort()).toEqual(["a.sqrt", "b.sqrt"]);
    expect(out.stderr).toBe(`formatted ${join(d, "a.sqrt")}\n`);
  });

  it("reports invalid files with their location and exits 1", async () => {
    const d = dir({ "bad.sqrt": "let x = ;\n" });
    const { out, io } = capture();
    const f = join(d, "bad.sqrt");
    expect(await policyFmt([f], { write: true, check: false }, io)).toBe(1);
    expect(out.stderr).toBe(`${f}:1:9: error: expected a predicate or a set expression, found ';'\n  1 | let x = ;\n    |         ^\n`);
    expect(readFileSync(f, "utf8")).toBe("let x = ;\n");
  });
});

describe("policy fmt --write keeps the file's identity", () => {
  it("writes through a symlink and keeps the mode", async () => {
    const { writeFileSync, symlinkSync, readFileSync, lstatSync, statSync, chmodSync } = await import("node:fs");
    const path = await import("node:path");
    const { policyFmt } = await import("../../src/cli/policy.js");
    const dir = freshDir("sqfmt-");
    const real = path.join(dir, "real.sqrt");
    const link = path.join(dir, "link.sqrt");
    writeFileSync(real, "let   x = {};\n");
    chmodSync(real, 0o640);
    symlinkSync(real, link);
    const io = { stdout: () => undefined, stderr: () => undefined };
    expect(await policyFmt([link], { write: true, check: false }, io)).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toBe("let x = {};\n");
    expect(statSync(real).mode & 0o777).toBe(0o640);
  });
});
