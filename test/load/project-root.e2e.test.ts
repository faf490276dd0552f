// The input side's safety where the test needs git (a real work tree as the project root) or mkfifo.
import { execFileSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { errorLines, runCli, tempProject } from "../helpers.js";
import { secretFile } from "./support.js";

const F = "sequrity.config.yaml";

describe("files a config names must resolve inside the project root", () => {
  it("takes the git work tree holding the config as the root, so ../ inside the repository works", async () => {
    const repo = tempProject({
      "policies/base.sqrt": "let x = {};\n",
      "svc/sequrity.config.yaml": "version: 1\nenvironments:\n  dev:\n    policy: {codes: {file: ../policies/base.sqrt}}\n",
    });
    const without = await compile({ cwd: repo, configPath: "svc/sequrity.config.yaml" });
    expect(errorLines(without)).toEqual([
      `svc/sequrity.config.yaml:4:28: error: policy file ../policies/base.sqrt is outside the project root ${path.join(repo, "svc")}; only files inside the project are read (environment dev)`,
    ]);
    execFileSync("git", ["init", "-q"], { cwd: repo });
    expect(errorLines(await compile({ cwd: repo, configPath: "svc/sequrity.config.yaml" }))).toEqual([]);
  });
});

describe("only regular files of sane size are read", () => {
  const config = (p: string) => `version: 1\nenvironments:\n  dev:\n    policy: {codes: {file: ${p}}}\n`;

  it("refuses a FIFO as policy file and as config without blocking", async () => {
    const dir = tempProject({ [F]: config("pipe.sqrt") });
    execFileSync("mkfifo", [path.join(dir, "pipe.sqrt"), path.join(dir, "pipe.yaml")]);
    expect(errorLines(await compile({ cwd: dir, configPath: F }))).toEqual([
      `${F}:4:28: error: policy file pipe.sqrt is not a regular file (a device, FIFO or socket); only regular files are read (environment dev)`,
    ]);
    expect(errorLines(await compile({ cwd: dir, configPath: "pipe.yaml" }))).toEqual([
      "pipe.yaml: error: config file pipe.yaml is not a regular file (a device, FIFO or socket); only regular files are read",
    ]);
  });
});

describe("templates are read like every other input", () => {
  const config = "version: 1\nenvironments:\n  dev: {features: {agent_arch: dual-llm}}\n";

  it("refuses a template outside the project root and a FIFO template, showing none of it", async () => {
    const secret = secretFile();
    const dir = tempProject({ [F]: config, "package.json": "{}\n" });
    execFileSync("git", ["init", "-q"], { cwd: dir });
    execFileSync("mkfifo", [path.join(dir, "t.hbs")]);
    const linked = path.join(dir, "leak.hbs");
    symlinkSync(secret, linked);
    const r = await runCli(["build", "-f", "leak.hbs"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("wJalrXUtnFEMI");
    expect(r.stderr.split("\n")[0]).toBe(`leak.hbs: error: template leak.hbs is outside the project root ${dir}; only files inside the project are read`);
    const fifo = await runCli(["build", "-f", "t.hbs"], dir);
    expect(fifo.code).toBe(1);
    expect(fifo.stderr.split("\n")[0]).toBe("t.hbs: error: template t.hbs is not a regular file (a device, FIFO or socket); only regular files are read");
  });
});
