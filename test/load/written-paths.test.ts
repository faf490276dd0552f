// Paths a user writes (codes.file, codes.files, imports, tests:, -f TEMPLATE, -o) and the folders
// discovery searches: decided from the text first, so that nothing outside the project is run,
// looked up or told apart, and no path can crash the tool.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { formatDiagnostics } from "../../src/diagnostics/index.js";
import { discoverConfig } from "../../src/load/discover.js";
import { memorySource } from "../../src/load/file-source.js";
import { runPolicyTests } from "../../src/simulate/index.js";
import { errorLines, freshDir, runCli } from "../helpers.js";
import { SECRET } from "./support.js";

const F = "sequrity.config.yaml";
const LOOKED_FOR = 'looked for sequrity.config.yaml, .sequrityrc*, package.json "sequrity", ...';

/** `dir` and every folder above it. */
function ancestors(dir: string): string[] {
  const all = [dir];
  while (path.dirname(all[all.length - 1] as string) !== all[all.length - 1]) all.push(path.dirname(all[all.length - 1] as string));
  return all;
}

/** A project `proj` (no .git: its root is the config's folder) beside a folder `outside` holding `outsideFiles`. */
function projectBesideOutside(files: Record<string, string>, outsideFiles: Record<string, string> = {}): string {
  const parent = freshDir();
  for (const [name, text] of [
    ...Object.entries(files).map(([n, t]) => [`proj/${n}`, t]),
    ...Object.entries(outsideFiles).map(([n, t]) => [`outside/${n}`, t]),
  ]) {
    const file = path.join(parent, name as string);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text as string);
  }
  mkdirSync(path.join(parent, "outside"), { recursive: true });
  return path.join(parent, "proj");
}

const env = (block: string) => `version: 1\nenvironments:\n  dev: ${block}\n`;
const outsideMessage = (what: string, written: string, root: string) =>
  `${what} ${written} is outside the project root ${root}; only files inside the project are read`;

describe("outside any project, discovery searches only the working directory", () => {
  it("never finds, let alone runs, a .sequrityrc.cjs planted in a parent folder when no folder up to / holds package.json or .git", async () => {
    const parent = freshDir();
    // The premise of the test: no marker anywhere above (else discovery would rightly search up to it).
    expect(ancestors(parent).filter((d) => existsSync(path.join(d, "package.json")) || existsSync(path.join(d, ".git")))).toEqual([]);
    const ran = path.join(parent, "PWNED");
    writeFileSync(
      path.join(parent, ".sequrityrc.cjs"),
      `require("fs").writeFileSync(${JSON.stringify(ran)}, "x"); module.exports = {environments: {planted: {}}};\n`,
    );
    const cwd = path.join(parent, "a/b");
    mkdirSync(cwd, { recursive: true });
    expect(await runCli(["validate"], cwd)).toEqual({
      code: 1,
      stdout: "",
      stderr: `error: no sequrity config found in ${cwd} (${LOOKED_FOR}; no folder here or above holds package.json or .git, so only this one was searched); run \`sequrity-config init\` or pass -c FILE\n1 error\n`,
    });
    expect(existsSync(ran)).toBe(false);
  });

  it("discoverConfig searches the starting folder alone without a marker, and up to the marker with one", async () => {
    const tree = { "/p/.sequrityrc.cjs": "module.exports = {};\n", "/p/a/b/notes.txt": "" };
    expect(await discoverConfig("/p/a/b", memorySource(tree))).toEqual({ searched: ["/p/a/b"], inProject: false });
    expect(await discoverConfig("/p/a/b", memorySource({ ...tree, "/p/package.json": "{}\n" }))).toEqual({
      found: { file: "/p/.sequrityrc.cjs" },
      searched: ["/p/a/b", "/p/a", "/p"],
      inProject: true,
    });
    // A git revision has no .git entry: its own root is the project.
    expect(await discoverConfig("/p/a/b", memorySource(tree, { root: "/p" }))).toMatchObject({ found: { file: "/p/.sequrityrc.cjs" }, inProject: true });
  });

  it("still finds the working directory's own config outside a project", async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, F), env("{}"));
    expect(await runCli(["validate"], dir)).toEqual({ code: 0, stdout: "", stderr: `${F}: 1 environment valid (dev)\n` });
  });
});

describe("a path that leaves the project as written is outside-project before anything is looked up", () => {
  it("codes.file: the same refusal for a missing and an existing file outside", async () => {
    const proj = projectBesideOutside(
      { [F]: "version: 1\nenvironments:\n  a: {policy: {codes: {file: ../outside/nonexist.sqrt}}}\n  b: {policy: {codes: {files: [../outside/x.sqrt]}}}\n" },
      { "x.sqrt": SECRET },
    );
    expect(errorLines(await compile({ cwd: proj, configPath: F }))).toEqual([
      `${F}:3:30: error: ${outsideMessage("policy file", "../outside/nonexist.sqrt", proj)} (environment a)`,
      `${F}:4:32: error: ${outsideMessage("policy file", "../outside/x.sqrt", proj)} (environment b)`,
    ]);
  });

  it("imports by path: the same refusal for a missing and an existing config outside", async () => {
    const proj = projectBesideOutside(
      { [F]: "version: 1\nimports: {o: ../outside/x.yaml, n: ../outside/nonexist.yaml}\nenvironments:\n  dev: {}\n" },
      { "x.yaml": env("{}") },
    );
    const r = await runCli(["validate"], proj);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n").filter((l) => l.includes("error:"))).toEqual([
      `${F}:2:14: error: ${outsideMessage("config file", "../outside/x.yaml", proj)}`,
      `${F}:2:36: error: ${outsideMessage("config file", "../outside/nonexist.yaml", proj)}`,
    ]);
  });

  it("tests: a pattern leading out is refused without listing the folder, whether it matches there or not", async () => {
    const proj = projectBesideOutside(
      { [F]: `${env("{}")}tests: [../outside/*.test.yaml, ../outside/none*.yaml, ../outside/gone.test.yaml]\n` },
      { "a.test.yaml": SECRET },
    );
    const run = await runPolicyTests({ cwd: proj, configPath: F });
    expect(formatDiagnostics(run.diagnostics, { codeFrame: false }).split("\n")).toEqual([
      `${F}:4:9: error: ${outsideMessage("test file", "../outside/*.test.yaml", proj)}`,
      `${F}:4:33: error: ${outsideMessage("test file", "../outside/none*.yaml", proj)}`,
      `${F}:4:56: error: ${outsideMessage("test file", "../outside/gone.test.yaml", proj)}`,
    ]);
  });

  it("-f TEMPLATE: the same refusal for a missing and an existing template outside", async () => {
    const proj = projectBesideOutside({ [F]: env("{}") }, { "t.hbs": SECRET });
    for (const t of ["../outside/t.hbs", "../outside/gone.hbs"]) {
      expect(await runCli(["build", "-f", t], proj)).toEqual({
        code: 1,
        stdout: "",
        stderr: `${t}: error: ${outsideMessage("template", t, proj)}\n1 error; nothing written\n`,
      });
    }
  });

  it("a symlink in the project leading out is outside-project whether its target exists or not", async () => {
    const proj = projectBesideOutside(
      { [F]: "version: 1\nenvironments:\n  a: {policy: {codes: {file: gone.sqrt}}}\n  b: {policy: {codes: {file: here.sqrt}}}\n" },
      { "x.sqrt": SECRET },
    );
    symlinkSync("../outside/nonexist.sqrt", path.join(proj, "gone.sqrt"));
    symlinkSync("../outside/x.sqrt", path.join(proj, "here.sqrt"));
    expect(errorLines(await compile({ cwd: proj, configPath: F }))).toEqual([
      `${F}:3:30: error: ${outsideMessage("policy file", "gone.sqrt", proj)} (environment a)`,
      `${F}:4:30: error: ${outsideMessage("policy file", "here.sqrt", proj)} (environment b)`,
    ]);
  });

  it("tests: a glob through a symlinked folder leading out is outside-project, not listed there", async () => {
    for (const outsideFiles of [{}, { "a.test.yaml": SECRET }] as Record<string, string>[]) {
      const proj = projectBesideOutside({ [F]: `${env("{}")}tests: [lnk/*.test.yaml]\n` }, outsideFiles);
      symlinkSync("../outside", path.join(proj, "lnk"));
      const run = await runPolicyTests({ cwd: proj, configPath: F });
      expect(formatDiagnostics(run.diagnostics, { codeFrame: false })).toBe(`${F}:4:9: error: ${outsideMessage("test file", "lnk/*.test.yaml", proj)}`);
    }
  });

  it("a path inside the project through a symlinked checkout is read", async () => {
    const real = path.join(freshDir(), "real");
    mkdirSync(real);
    writeFileSync(path.join(real, F), env("{policy: {codes: {file: ./p.sqrt}}}"));
    writeFileSync(path.join(real, "p.sqrt"), 'tool "a" { hard deny always; }\n');
    const link = path.join(freshDir(), "checkout");
    symlinkSync(real, link);
    expect(errorLines(await compile({ cwd: link, configPath: F }))).toEqual([]);
  });
});

describe("a path starting with ~ is home-path", () => {
  it("~root/x in codes.files, not only ~/", async () => {
    const proj = projectBesideOutside({ [F]: env("{policy: {codes: {files: [~root/x]}}}") });
    const r = await runCli(["validate"], proj);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe(
      `${F}:3:34: error: policy file ~root/x: "~" is not expanded; write the path relative to the config file (environment dev)`,
    );
  });

  it("~/t.yaml in tests: is refused at the entry", async () => {
    const proj = projectBesideOutside({ [F]: `${env("{}")}tests: [~/t.yaml]\n` });
    const run = await runPolicyTests({ cwd: proj, configPath: F });
    expect(formatDiagnostics(run.diagnostics, { codeFrame: false })).toBe(
      `${F}:4:9: error: test file ~/t.yaml: "~" is not expanded; write the path relative to the config file`,
    );
  });
});

describe("a NUL byte in a path is a located invalid-path, exit 1, never a crash", () => {
  const nul = (what: string, quoted: string) => `${what} ${quoted} holds a NUL byte, which a file name cannot hold`;

  it("codes.file and codes.files", async () => {
    const proj = projectBesideOutside({
      [F]: 'version: 1\nenvironments:\n  a: {policy: {codes: {file: "policies/a.sqrt\\u0000x"}}}\n  b: {policy: {codes: {files: ["b.sqrt\\0"]}}}\n',
      "policies/a.sqrt": "",
    });
    const r = await runCli(["validate"], proj);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n").filter((l) => l.includes("error:"))).toEqual([
      `${F}:3:30: error: ${nul("policy file", '"policies/a.sqrt\\u0000x"')} (environment a)`,
      `${F}:4:32: error: ${nul("policy file", '"b.sqrt\\u0000"')} (environment b)`,
    ]);
  });

  it("imports and tests:", async () => {
    const proj = projectBesideOutside({ [F]: `version: 1\nimports: {o: "./x\\0.yaml"}\nenvironments:\n  dev: {}\ntests: ["t\\0*.yaml"]\n` });
    const r = await runCli(["validate"], proj);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe(`${F}:2:14: error: ${nul("config file", '"./x\\u0000.yaml"')}`);
    writeFileSync(path.join(proj, F), `${env("{}")}tests: ["t\\0*.yaml"]\n`);
    const run = await runPolicyTests({ cwd: proj, configPath: F });
    expect(formatDiagnostics(run.diagnostics, { codeFrame: false })).toBe(`${F}:4:9: error: ${nul("test file", '"t\\u0000*.yaml"')}`);
  });

  it("-f TEMPLATE, a test file named on the command line, and -o", async () => {
    const proj = projectBesideOutside({ [F]: env("{}") });
    expect(await runCli(["build", "-f", "t\0.hbs"], proj)).toEqual({
      code: 1,
      stdout: "",
      stderr: `t\\x00.hbs: error: ${nul("template", "t\\x00.hbs")}\n1 error; nothing written\n`,
    });
    expect(await runCli(["test", "t\0.yaml"], proj)).toEqual({ code: 1, stdout: "", stderr: `error: ${nul("test file", '"t\\u0000.yaml"')}\n1 error\n` });
    expect(await runCli(["build", "-f", "json", "-o", "o\0.json"], proj)).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'o\\x00.json: error: cannot write the output "o\\u0000.json": the path holds a NUL byte, which a file name cannot hold\n1 error; nothing written\n',
    });
  });
});
