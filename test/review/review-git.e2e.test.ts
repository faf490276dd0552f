// `review --base REF` against real git repositories: commits, renames, files added and deleted.
import { spawnSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freshDir, runCli } from "../helpers.js";
import { commit, git, repo, write } from "./git.js";

const CONFIG = [
  "version: 1",
  "defaults:",
  "  policy:",
  "    mode: strict",
  "    codes: {file: policies/base.sqrt}",
  "environments:",
  "  dev: {}",
  "  prod:",
  "    policy: {presets: {enable_llm_blocked_tag: true}}",
  "",
].join("\n");

const BASE_SQRT = ['let internal = {"internal_use"};', 'tool "send_email" {', "    hard deny when body.tags overlaps internal;", "}", ""].join("\n");

const project = () => repo({ "sequrity.config.yaml": CONFIG, "policies/base.sqrt": BASE_SQRT });

const review = (dir: string, ...args: string[]) => runCli(["review", "--base", "main", "--format", "json", ...args], dir);

/** The JSON output for environments given as `name: [status, changes...]`. */
function expected(base: string, envs: Record<string, [string, ...string[]]>, summary: [number, number, number, number]): string {
  const body = Object.entries(envs).map(([name, [status, ...changes]]) => {
    const list = changes.length === 0 ? `      "changes": []` : `      "changes": [\n${changes.map((c) => `        ${c}`).join(",\n")}\n      ]`;
    return `    "${name}": {\n      "status": "${status}",\n${list}\n    }`;
  });
  const [w, t, r, n] = summary;
  return `{\n  "base": "${base}",\n  "environments": {\n${body.join(",\n")}\n  },\n  "summary": {"weakening": ${w}, "tightening": ${t}, "review": ${r}, "neutral": ${n}}\n}\n`;
}

describe("review --base (real git repositories)", { timeout: 60_000 }, () => {
  it("reports a field change at the line that made it; a policy file moved with its content unchanged is no change", async () => {
    const dir = project();
    git(dir, "mv", "policies/base.sqrt", "policies/email.sqrt");
    write(dir, {
      "sequrity.config.yaml": CONFIG.replace("policies/base.sqrt", "policies/email.sqrt").replace(
        "enable_llm_blocked_tag: true",
        "enable_llm_blocked_tag: false",
      ),
    });
    const r = await review(dir);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      expected(
        "main",
        {
          dev: ["unchanged"],
          prod: [
            "changed",
            '{"kind": "field", "path": "policy.presets.enable_llm_blocked_tag", "class": "weakening", "before": true, "after": false, "location": {"file": "sequrity.config.yaml", "line": 9, "column": 48}}',
          ],
        },
        [1, 0, 0, 0],
      ),
    );
    expect(r.code).toBe(1);
  });

  it("a whitespace-only reformat of a .sqrt, with comments added, is no change", async () => {
    const dir = project();
    write(dir, {
      "policies/base.sqrt":
        '// reformatted\nlet internal = { "internal_use" } ;\n\n\ttool  "send_email"  {  hard   deny   when   body.tags   overlaps   internal ; }\n',
    });
    const r = await review(dir);
    expect(r.stdout).toBe(expected("main", { dev: ["unchanged"], prod: ["unchanged"] }, [0, 0, 0, 0]));
    expect(r.code).toBe(0);
  });

  it("a policy file added to `files` and a rule deleted: added rules at the after side, removed ones at the before side", async () => {
    const dir = project();
    commit(dir, { "policies/extra.sqrt": 'tool "send_email" {\n    hard allow when to.value in {str like w"*@corp.example"};\n}\n' }, "extra policy");
    write(dir, {
      "sequrity.config.yaml": CONFIG.replace("codes: {file: policies/base.sqrt}", "codes: {files: [policies/base.sqrt, policies/gate.sqrt]}"),
      "policies/base.sqrt": 'let internal = {"internal_use"};\ntool "send_email" {\n}\n',
      "policies/gate.sqrt": 'tool "create_link" {\n    soft deny always;\n}\n',
      "policies/extra.sqrt": null,
    });
    const r = await review(dir, "-e", "dev");
    const removed =
      '{"kind": "rule", "path": "policy.codes", "tool": "send_email", "change": "removed", "class": "weakening", "before": "hard deny when body.tags overlaps internal", "after": null, "location": {"side": "before", "file": "policies/base.sqrt", "line": 3, "column": 5}}';
    const added =
      '{"kind": "rule", "path": "policy.codes", "tool": "create_link", "change": "added", "class": "tightening", "before": null, "after": "soft deny always", "location": {"file": "policies/gate.sqrt", "line": 2, "column": 5}}';
    expect(r.stdout).toBe(expected("main", { dev: ["changed", removed, added] }, [1, 1, 0, 0]));
  });

  it("environments added and removed (a rename is both), in the after side's order then the removed ones", async () => {
    const dir = project();
    write(dir, { "sequrity.config.yaml": CONFIG.replace("  dev: {}", "  staging: {}\n  development: {}") });
    const r = await runCli(["review", "--base", "main", "--format", "json", "--fail-on", "any"], dir);
    expect(r.stdout).toBe(
      [
        "{",
        '  "base": "main",',
        '  "environments": {',
        '    "staging": {\n      "status": "added",\n      "location": {"file": "sequrity.config.yaml", "line": 7, "column": 3},\n      "changes": []\n    },',
        '    "development": {\n      "status": "added",\n      "location": {"file": "sequrity.config.yaml", "line": 8, "column": 3},\n      "changes": []\n    },',
        '    "prod": {\n      "status": "unchanged",\n      "changes": []\n    },',
        '    "dev": {\n      "status": "removed",\n      "location": {"side": "before", "file": "sequrity.config.yaml", "line": 7, "column": 3},\n      "changes": []\n    }',
        "  },",
        '  "summary": {"weakening": 0, "tightening": 0, "review": 0, "neutral": 0}',
        "}",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("compares with an older commit after several, and --fail-on decides the exit status", async () => {
    const dir = project();
    commit(dir, { "sequrity.config.yaml": CONFIG.replace("mode: strict", "mode: custom") }, "custom");
    commit(dir, { "policies/base.sqrt": BASE_SQRT.replace("hard deny", "soft deny") }, "soft");
    const changed = [
      "changed",
      '{"kind": "field", "path": "policy.mode", "class": "weakening", "before": "strict", "after": "custom", "location": {"file": "sequrity.config.yaml", "line": 4, "column": 11}}',
      `{"kind": "rule", "path": "policy.codes", "tool": "send_email", "change": "enforcement", "class": "weakening", "before": "hard deny when body.tags overlaps internal", "after": "soft deny when body.tags overlaps internal", "location": {"file": "policies/base.sqrt", "line": 3, "column": 5}}`,
    ] as [string, ...string[]];
    const r = await runCli(["review", "--base", "HEAD~2", "--format", "json"], dir);
    expect(r.stdout).toBe(expected("HEAD~2", { dev: changed, prod: changed }, [4, 0, 0, 0]));
    expect(r.code).toBe(1);
    expect((await runCli(["review", "--base", "HEAD~2", "--fail-on", "never"], dir)).code).toBe(0);
    expect((await runCli(["review", "--base", "HEAD~1", "--fail-on", "weakening"], dir)).code).toBe(1);
    expect((await runCli(["review", "--base", "HEAD", "--fail-on", "any"], dir)).code).toBe(0);
  });

  it("runs from a subfolder of the repository with -c", async () => {
    const dir = project();
    write(dir, { "sequrity.config.yaml": CONFIG.replace("dev: {}", "dev: {config: {fsm: {max_n_turns: 4}}}"), "docs/.keep": "" });
    const r = await runCli(["review", "--base", "main", "-c", "../sequrity.config.yaml", "-e", "dev"], path.join(dir, "docs"));
    expect(r.stdout).toBe(
      [
        "security review: working tree against git revision main",
        "dev: changed",
        `  neutral  config.fsm.max_n_turns added: 4  (${dir}/sequrity.config.yaml:7:37)`,
        "summary: 0 weakening, 0 tightening, 0 review, 1 neutral",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("a policy file missing at REF is the before side's compile error, labelled", async () => {
    const dir = repo({ "sequrity.config.yaml": CONFIG });
    write(dir, { "policies/base.sqrt": BASE_SQRT });
    const r = await runCli(["review", "--base", "main"], dir);
    expect(r.stderr).toBe(
      [
        "before (git revision main):",
        "sequrity.config.yaml:5:19: error: cannot read policy file policies/base.sqrt: not found (environments dev, prod)",
        "  5 |     codes: {file: policies/base.sqrt}",
        "    |                   ^^^^^^^^^^^^^^^^^^",
        "1 error",
        "",
      ].join("\n"),
    );
    expect(r.stdout).toBe("");
    expect(r.code).toBe(1);
  });

  it("both sides failing: each side's errors, labelled before and after", async () => {
    const dir = repo({ "sequrity.config.yaml": CONFIG.replace("mode: strict", "mode: lenient"), "policies/base.sqrt": BASE_SQRT });
    write(dir, { "sequrity.config.yaml": CONFIG, "policies/base.sqrt": "tool {" });
    const r = await runCli(["review", "--base", "main", "-e", "dev"], dir);
    expect(r.stderr.split("\n").filter((l) => /^(before|after) |error:/.test(l))).toEqual([
      "before (git revision main):",
      'sequrity.config.yaml:4:11: error: defaults.policy.mode: the string "lenient" is not allowed; expected one of "standard", "strict", "custom" (environment dev)',
      "after (working tree):",
      "policies/base.sqrt:1:6: error: expected a tool id (string or r\"regex\") after 'tool', found '{' (environment dev)",
    ]);
    expect(r.code).toBe(1);
    const json = await runCli(["review", "--base", "main", "-e", "dev", "--format", "json"], dir);
    expect(
      (JSON.parse(json.stdout) as { diagnostics: { side: string; code: string; line: number }[] }).diagnostics.map((d) => [d.side, d.code, d.line]),
    ).toEqual([
      ["before", "invalid-value", 4],
      ["after", "sqrt-syntax", 1],
    ]);
    const github = await runCli(["review", "--base", "main", "-e", "dev", "--format", "github"], dir);
    expect(github.stdout.split("\n").map((l) => l.replace(/::(before|after) \(([^)]*)\): .*/, "::$1 ($2): …"))).toEqual([
      "::error file=sequrity.config.yaml,line=4,col=11,title=invalid-value::before (git revision main): …",
      "::error file=policies/base.sqrt,line=1,col=6,title=sqrt-syntax::after (working tree): …",
      "",
    ]);
    expect([json.code, github.code]).toEqual([1, 1]);
  });

  it("a config missing at REF is the before side's error", async () => {
    const dir = repo({ "README.md": "x" });
    write(dir, { "sequrity.config.yaml": CONFIG, "policies/base.sqrt": BASE_SQRT });
    const r = await runCli(["review", "--base", "main"], dir);
    expect(r.stderr).toBe("before (git revision main):\nerror: cannot read config file sequrity.config.yaml: not found\n1 error\n");
    expect(r.code).toBe(1);
  });

  it("an unknown REF and a folder outside git are usage errors quoting git", async () => {
    const dir = project();
    const unknown = await runCli(["review", "--base", "nope"], dir);
    expect(unknown).toEqual({ code: 2, stdout: "", stderr: "error: --base nope: fatal: Not a valid object name nope\n" });
    const plain = freshDir();
    write(plain, { "sequrity.config.yaml": CONFIG, "policies/base.sqrt": BASE_SQRT });
    // A folder holding package.json ends discovery, so the temp folder's parents are never searched.
    const outside = await runCli(["review", "--base", "main", "-c", "sequrity.config.yaml"], plain);
    expect(outside).toEqual({ code: 2, stdout: "", stderr: "error: --base main: fatal: not a git repository (or any of the parent directories): .git\n" });
  });

  it("usage: exactly one of --base and --against; an environment neither side defines", async () => {
    const dir = project();
    expect(await runCli(["review"], dir)).toEqual({ code: 2, stdout: "", stderr: "error: review needs exactly one of --base REF or --against FILE\n" });
    expect((await runCli(["review", "--base", "main", "--against", "x.yaml"], dir)).code).toBe(2);
    expect(await runCli(["review", "--base", "main", "-e", "qa"], dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: unknown environment qa: defined on neither side\n",
    });
  });
});

describe("review --base: the revision is read like the working tree", { timeout: 60_000 }, () => {
  it("symlinks at REF are followed inside the revision; one pointing out of the repository is outside-project, as in the working tree", async () => {
    const dir = repo({ "sequrity.config.yaml": CONFIG, "common/base.sqrt": BASE_SQRT, "policies/README": "" });
    symlinkSync("../common/base.sqrt", path.join(dir, "policies/base.sqrt"));
    commit(dir, {}, "linked policy");
    write(dir, { "common/base.sqrt": BASE_SQRT.replace("hard deny", "soft deny") });
    const linked = await review(dir, "-e", "dev");
    expect(JSON.parse(linked.stdout).environments.dev.changes.map((c: { change: string }) => c.change)).toEqual(["enforcement"]);

    // At REF the link goes out of the repository, to a file that exists on this machine.
    const outside = path.join(freshDir(), "outside.sqrt");
    write(path.dirname(outside), { "outside.sqrt": BASE_SQRT });
    write(dir, { "policies/base.sqrt": null });
    symlinkSync(outside, path.join(dir, "policies/base.sqrt"));
    commit(dir, {}, "link out");
    write(dir, { "policies/base.sqrt": null });
    write(dir, { "policies/base.sqrt": BASE_SQRT });
    const out = await runCli(["review", "--base", "main", "-e", "dev"], dir);
    expect(out.stderr.split("\n")[1]).toBe(
      `sequrity.config.yaml:5:19: error: policy file policies/base.sqrt is outside the project root ${dir}; only files inside the project are read (environment dev)`,
    );
    expect(out.code).toBe(1);
  });

  it("the installed binary runs review through git and exits when done", () => {
    const dir = project();
    write(dir, { "policies/base.sqrt": BASE_SQRT.replace("hard deny", "soft deny") });
    const bin = path.resolve(__dirname, "../../bin/sequrity-config.js");
    const r = spawnSync(process.execPath, [bin, "review", "--base", "main", "--format", "github"], { cwd: dir, encoding: "utf8", timeout: 30_000 });
    expect(r.stdout.split("\n")[0]).toBe(
      '::warning file=policies/base.sqrt,line=3,title=weakening%3A dev::tool "send_email" enforcement changed: hard deny when body.tags overlaps internal → soft deny when body.tags overlaps internal',
    );
    expect(r.status).toBe(1);
  });
});

describe("review --against FILE", { timeout: 60_000 }, () => {
  it("compares with another config file; an environment only the other file has is removed", async () => {
    const dir = project();
    write(dir, { "old.yaml": CONFIG.replace("  dev: {}", "  dev: {}\n  qa: {}").replace("enable_llm_blocked_tag: true", "enable_llm_blocked_tag: false") });
    const r = await runCli(["review", "--against", "old.yaml", "--format", "json"], dir);
    expect(r.stdout).toBe(
      [
        "{",
        '  "against": "old.yaml",',
        '  "environments": {',
        '    "dev": {\n      "status": "unchanged",\n      "changes": []\n    },',
        '    "prod": {\n      "status": "changed",\n      "changes": [',
        '        {"kind": "field", "path": "policy.presets.enable_llm_blocked_tag", "class": "tightening", "before": false, "after": true, "location": {"file": "sequrity.config.yaml", "line": 9, "column": 48}}',
        "      ]\n    },",
        '    "qa": {\n      "status": "removed",\n      "location": {"side": "before", "file": "old.yaml", "line": 8, "column": 3},\n      "changes": []\n    }',
        "  },",
        '  "summary": {"weakening": 0, "tightening": 1, "review": 0, "neutral": 0}',
        "}",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });
});
