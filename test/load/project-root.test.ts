// Safe by default, the input side: nothing outside the project is read, only regular files of sane
// size are, and a refusal never shows any of the refused file's content.
import { existsSync, mkdirSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { memorySource } from "../../src/load/file-source.js";
import { errorLines, freshDir, runCli, tempProject } from "../helpers.js";
import { SECRET, secretFile } from "./support.js";

const F = "sequrity.config.yaml";

/** The attack of issue 7: a file wrapped in a comment by two layers passes the policy check. */
function wrappedConfig(policyPath: string): string {
  return [
    "version: 1",
    "defaults:",
    "  policy:",
    "    codes: {code: '/*'}",
    "environments:",
    "  dev:",
    "    policy:",
    `      codes: {file: ${JSON.stringify(policyPath)}}`,
    "  prod:",
    "    extends: dev",
    "    policy:",
    "      codes: {code: {$append: '*/'}}",
    "",
  ].join("\n");
}

describe("files a config names must resolve inside the project root", () => {
  it("refuses the /* */ exfiltration config with an absolute path, exit 1, nothing printed of the file", async () => {
    const secret = secretFile();
    const dir = tempProject({ [F]: wrappedConfig(secret) });
    const r = await runCli(["build", "--strict", "-f", "env", "-o", "out/"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain("wJalrXUtnFEMI");
    expect(r.stderr.split("\n")[0]).toBe(
      `${F}:8:21: error: policy file ${secret} is outside the project root ${dir}; only files inside the project are read (environments dev, prod)`,
    );
    expect(existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("refuses ../ escapes", async () => {
    const secret = secretFile();
    const dir = tempProject({});
    const outside = path.relative(dir, secret);
    writeFileSync(path.join(dir, F), wrappedConfig(outside));
    const result = await compile({ cwd: dir, configPath: F });
    expect(errorLines(result)).toEqual([
      `${F}:8:21: error: policy file ${outside} is outside the project root ${dir}; only files inside the project are read (environments dev, prod)`,
    ]);
  });

  it("refuses a symlink that leaves the repository, and never prints its target's first line", async () => {
    const secret = secretFile();
    const dir = tempProject({ [F]: wrappedConfig("policies/base.sqrt") });
    mkdirSync(path.join(dir, "policies"));
    symlinkSync(secret, path.join(dir, "policies/base.sqrt"));
    const r = await runCli(["validate"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("wJalrXUtnFEMI");
    expect(r.stderr).toContain(`${F}:8:21: error: policy file policies/base.sqrt is outside the project root ${dir}; only files inside the project are read`);
  });

  it("follows symlinks that stay inside the project", async () => {
    const dir = tempProject({
      [F]: "version: 1\nenvironments:\n  dev:\n    policy: {codes: {file: link.sqrt}}\n",
      "shared/real.sqrt": 'tool "a" { hard deny always; }\n',
    });
    symlinkSync("shared/real.sqrt", path.join(dir, "link.sqrt"));
    const result = await compile({ cwd: dir, configPath: F });
    expect(errorLines(result)).toEqual([]);
    expect(result.compiled?.environments[0]?.headers["X-Policy"]).toContain('tool \\"a\\" { hard deny always; }');
  });

  it("allows an absolute path inside the project", async () => {
    const dir = tempProject({ "p.sqrt": "let x = {};\n" });
    writeFileSync(path.join(dir, F), `version: 1\nenvironments:\n  dev:\n    policy: {codes: {file: ${JSON.stringify(path.join(dir, "p.sqrt"))}}}\n`);
    expect(errorLines(await compile({ cwd: dir, configPath: F }))).toEqual([]);
  });

  it('does not expand "~" and says so', async () => {
    const dir = tempProject({ [F]: "version: 1\nenvironments:\n  dev:\n    policy: {codes: {files: [~/.ssh/id_rsa]}}\n" });
    expect(errorLines(await compile({ cwd: dir, configPath: F }))).toEqual([
      `${F}:4:30: error: policy file ~/.ssh/id_rsa: "~" is not expanded; write the path relative to the config file (environment dev)`,
    ]);
  });

  it("applies inside a file source that is not the working tree", async () => {
    const files = memorySource({
      "/p/.git/HEAD": "",
      "/p/sequrity.config.yaml": "version: 1\nenvironments:\n  dev:\n    policy: {codes: {file: x.sqrt}}\n",
      "/p/x.sqrt": { symlink: "../q/secret" },
      "/q/secret": SECRET,
    });
    const result = await compile({ cwd: "/p", configPath: F, source: files });
    expect(errorLines(result)).toEqual([
      `${F}:4:28: error: policy file x.sqrt is outside the project root /p; only files inside the project are read (environment dev)`,
    ]);
  });
});

describe("only regular files of sane size are read", () => {
  const config = (p: string) => `version: 1\nenvironments:\n  dev:\n    policy: {codes: {file: ${p}}}\n`;

  it("refuses /dev/zero as config and a directory as policy file", async () => {
    const dir = tempProject({ [F]: config("policies"), "policies/a.sqrt": "" });
    expect(errorLines(await compile({ cwd: dir, configPath: "/dev/zero" }))).toEqual([
      "/dev/zero: error: config file /dev/zero is not a regular file (a device, FIFO or socket); only regular files are read",
    ]);
    expect(errorLines(await compile({ cwd: dir, configPath: F }))).toEqual([
      `${F}:4:28: error: policy file policies is a directory; only regular files are read (environment dev)`,
    ]);
  });

  it("refuses a 1.5 GiB policy file and a 5 MiB config by their size, before reading them", async () => {
    const dir = tempProject({ [F]: config("huge.sqrt"), "big.yaml": "" });
    writeFileSync(path.join(dir, "huge.sqrt"), "");
    truncateSync(path.join(dir, "huge.sqrt"), 1.5 * 1024 ** 3);
    truncateSync(path.join(dir, "big.yaml"), 5 * 1024 ** 2);
    expect(errorLines(await compile({ cwd: dir, configPath: F }))).toEqual([
      `${F}:4:28: error: policy file huge.sqrt is 1.5 GiB, over the 1 MiB limit for a policy file (environment dev)`,
    ]);
    expect(errorLines(await compile({ cwd: dir, configPath: "big.yaml" }))).toEqual([
      "big.yaml: error: config file big.yaml is 5 MiB, over the 4 MiB limit for a config file",
    ]);
  });
});

describe("discovery stays inside the project", () => {
  it("never finds, let alone runs, a .sequrityrc.cjs in a folder above the project", async () => {
    const parent = freshDir("sequrity-parent-");
    const marker = path.join(parent, "ran");
    writeFileSync(
      path.join(parent, ".sequrityrc.cjs"),
      `require("fs").writeFileSync(${JSON.stringify(marker)}, "x"); module.exports = {environments: {evil: {}}};\n`,
    );
    mkdirSync(path.join(parent, "proj/sub"), { recursive: true });
    writeFileSync(path.join(parent, "proj/package.json"), "{}\n");
    const r = await runCli(["validate"], path.join(parent, "proj/sub"));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: no sequrity config found in ${path.join(parent, "proj/sub")} or above up to ${path.join(parent, "proj")} (looked for sequrity.config.yaml, .sequrityrc*, package.json "sequrity", ...; the search stops at the folder holding package.json or .git); run \`sequrity-config init\` or pass -c FILE\n1 error\n`,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it("stops at a .git folder too", async () => {
    const parent = tempProject({ [F]: "version: 1\nenvironments: {parent: {}}\n", "repo/.git/HEAD": "" });
    const r = await runCli(["validate"], path.join(parent, "repo"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no sequrity config found in /);
  });

  it("an empty config is an error, never skipped for the parent folder's config", async () => {
    const parent = tempProject({ [F]: "version: 1\nenvironments: {parent: {}}\n", "child/sequrity.config.yaml": "  \n" });
    const r = await runCli(["build"], path.join(parent, "child"));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toBe(`${F}:1:1: error: the config file is empty; it needs at least \`environments:\``);
  });

  it("reads no global config folder", async () => {
    const home = freshDir("sequrity-home-");
    mkdirSync(path.join(home, ".config/sequrity"), { recursive: true });
    writeFileSync(path.join(home, ".config/sequrity/config.yaml"), "version: 1\nenvironments: {global: {}}\n");
    const proj = tempProject({ "package.json": "{}\n" });
    const before = process.env.HOME;
    process.env.HOME = home;
    try {
      const r = await runCli(["validate"], proj);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: no sequrity config found in /);
    } finally {
      process.env.HOME = before;
    }
    expect(readdirSync(proj)).toEqual(["package.json"]);
  });
});

describe("YAML the tool cannot read faithfully is refused", () => {
  it("unknown tags, !!omap, !!set and a second document are located errors", async () => {
    const dir = tempProject({
      [F]: "version: 1\nenvironments:\n  dev:\n    policy: {codes: {code: !env POLICY}}\n    features: !!set {a, b}\n    config: !!omap [{a: 1}]\n",
    });
    expect(errorLines(await compile({ cwd: dir, configPath: F }))).toEqual([
      `${F}:4:33: error: the YAML tag !env is not supported; write the value without a tag`,
      `${F}:5:21: error: the YAML tag !!set is not supported; write the value without a tag`,
      `${F}:6:20: error: the YAML tag !!omap is not supported; write the value without a tag`,
    ]);
    writeFileSync(path.join(dir, F), "version: 1\nenvironments: {dev: {}}\n---\nenvironments: {prod: {}}\n");
    expect(errorLines(await compile({ cwd: dir, configPath: F }))).toEqual([
      `${F}:3:1: error: a second YAML document starts here; the file must hold exactly one document`,
    ]);
  });
});
