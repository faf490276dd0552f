/** -c repeated and --all: every config is run and reported, and one exit status covers them all. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../helpers.js";

const GOOD = (turns: number) => `version: 1\nenvironments:\n  dev:\n    config: { fsm: { max_n_turns: ${turns} } }\n`;
const BROKEN = "version: 1\nenvironments:\n  dev:\n    config: { fsm: { max_n_turns: many } }\n";

/** A monorepo: two good configs, one broken, and a config inside node_modules that --all must not see. */
function monorepo(): string {
  // The .git entry pins the project root here, whatever folders lie above the temp folder.
  return tempProject({
    ".git": "gitdir: elsewhere\n",
    "package.json": '{ "name": "mono", "private": true }\n',
    "apps/api/package.json": '{ "name": "api" }\n',
    "apps/api/sequrity.config.yaml": GOOD(5),
    "apps/web/package.json": '{ "name": "web" }\n',
    "apps/web/sequrity.config.yaml": GOOD(7),
    "services/old/sequrity.config.yaml": BROKEN,
    "node_modules/dep/sequrity.config.yaml": BROKEN,
    ".cache/sequrity.config.yaml": BROKEN,
  });
}

const BROKEN_ERROR =
  'services/old/sequrity.config.yaml:4:35: error: environments.dev.config.fsm.max_n_turns: expected an integer, got the string "many" (environment dev)';

describe("validate with several configs", () => {
  it("--all reports every config under the project root, skipping node_modules and hidden folders, and exits 1 when one is broken", async () => {
    const r = await runCli(["validate", "--all"], monorepo());
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.split("\n");
    expect(lines.filter((l) => l.startsWith("== "))).toEqual([
      "== apps/api/sequrity.config.yaml ==",
      "== apps/web/sequrity.config.yaml ==",
      "== services/old/sequrity.config.yaml ==",
    ]);
    expect(lines).toContain("apps/api/sequrity.config.yaml: 1 environment valid (dev)");
    expect(lines).toContain("apps/web/sequrity.config.yaml: 1 environment valid (dev)");
    expect(lines).toContain(BROKEN_ERROR);
    expect(lines.at(-2)).toBe("3 configs: 2 ok, 1 failed");
    expect(r.stderr).not.toContain("node_modules");
    expect(r.stderr).not.toContain(".cache");
  });

  it("-c repeated runs each config in the order given; all valid exits 0", async () => {
    const r = await runCli(["validate", "-c", "apps/web/sequrity.config.yaml", "-c", "apps/api/sequrity.config.yaml"], monorepo());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        "== apps/web/sequrity.config.yaml ==",
        "apps/web/sequrity.config.yaml: 1 environment valid (dev)",
        "",
        "== apps/api/sequrity.config.yaml ==",
        "apps/api/sequrity.config.yaml: 1 environment valid (dev)",
        "",
        "2 configs: 2 ok, 0 failed",
        "",
      ].join("\n"),
    );
  });

  it("--format json gives one document with a result per config", async () => {
    const r = await runCli(["validate", "--all", "--format", "json"], monorepo());
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const doc = JSON.parse(r.stdout) as {
      valid: boolean;
      configs: { valid: boolean; config: string; environments: string[]; diagnostics: { code: string }[] }[];
    };
    expect(doc.valid).toBe(false);
    expect(doc.configs.map((c) => [c.config, c.valid, c.environments, c.diagnostics.map((d) => d.code)])).toEqual([
      ["apps/api/sequrity.config.yaml", true, ["dev"], []],
      ["apps/web/sequrity.config.yaml", true, ["dev"], []],
      ["services/old/sequrity.config.yaml", false, [], ["invalid-value"]],
    ]);
  });

  it("--format github annotates every config's errors", async () => {
    const r = await runCli(["validate", "--all", "--format", "github"], monorepo());
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      '::error file=services/old/sequrity.config.yaml,line=4,col=35,title=invalid-value::environments.dev.config.fsm.max_n_turns: expected an integer, got the string "many" (environment dev)\n',
    );
  });

  it("--all from a sub-folder still searches the whole git work tree", async () => {
    const r = await runCli(["validate", "--all", "--quiet"], path.join(monorepo(), "apps/web"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("== ../../services/old/sequrity.config.yaml ==");
  });

  it("--all with nothing to find is an error; --all with -c is a usage error", async () => {
    const empty = tempProject({ ".git": "gitdir: elsewhere\n", "package.json": "{}\n" });
    expect(await runCli(["validate", "--all"], empty)).toEqual({
      code: 1,
      stdout: "",
      stderr: `error: --all found no config file under ${empty} (node_modules and hidden folders are skipped)\n`,
    });
    const both = await runCli(["validate", "--all", "-c", "apps/api/sequrity.config.yaml"], monorepo());
    expect(both.code).toBe(2);
    expect(both.stderr).toBe("error: --all and -c cannot be used together: --all already takes every config under the project root\n");
  });
});

describe("build --check with several configs", () => {
  it("reads -o from each config's folder and reports each config's stale files", async () => {
    const dir = monorepo();
    const api = "apps/api/sequrity.config.yaml";
    const web = "apps/web/sequrity.config.yaml";
    for (const c of [api, web]) expect((await runCli(["build", "-c", c, "-f", "ts", "-o", `${path.dirname(c)}/src/headers.ts`], dir)).code).toBe(0);
    const fresh = await runCli(["build", "--check", "-c", api, "-c", web, "-f", "ts", "-o", "src/headers.ts"], dir);
    expect(fresh.stderr).toBe(
      [
        "== apps/api/sequrity.config.yaml ==",
        "1 file up to date",
        "",
        "== apps/web/sequrity.config.yaml ==",
        "1 file up to date",
        "",
        "2 configs: 2 ok, 0 failed",
        "",
      ].join("\n"),
    );
    expect(fresh.code).toBe(0);
    writeFileSync(path.join(dir, web), GOOD(8));
    const stale = await runCli(["build", "--check", "-c", api, "-c", web, "-f", "ts", "-o", "src/headers.ts"], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("== apps/web/sequrity.config.yaml ==\napps/web/src/headers.ts: out of date\n");
    expect(stale.stderr).toContain("2 configs: 1 ok, 1 failed\n");
  });

  it("--all with a broken config fails after checking the others; --diagnostics json is one document", async () => {
    const r = await runCli(["build", "--check", "--all", "-f", "json", "-o", "headers.json", "--diagnostics", "json"], monorepo());
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { valid: boolean; configs: { config: string; valid: boolean }[] };
    expect(doc.configs.map((c) => [c.config, c.valid])).toEqual([
      ["apps/api/sequrity.config.yaml", true],
      ["apps/web/sequrity.config.yaml", true],
      ["services/old/sequrity.config.yaml", false],
    ]);
    // The good configs' headers.json do not exist: they are reported missing.
    expect(r.stderr).toContain("apps/api/headers.json: missing\n");
  });

  it("--check without -o is one usage error before any config is compiled, one config or several", async () => {
    const expected = { code: 2, stdout: "", stderr: "error: --check needs -o: there is nothing on disk to compare with stdout\n" };
    expect(await runCli(["build", "--check", "--all", "--diagnostics", "json"], monorepo())).toEqual(expected);
    expect(await runCli(["build", "--check", "-c", "services/old/sequrity.config.yaml"], monorepo())).toEqual(expected);
  });

  it("writing many configs at once is a usage error: only --check takes several", async () => {
    const r = await runCli(["build", "--all", "-f", "json", "-o", "headers.json"], monorepo());
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: several configs (-c repeated, --all) need --check: a build writes one config's outputs; run one build per config\n",
    });
  });
});

describe("-c given twice where one config is needed", () => {
  it.each([
    ["print", "-e", "dev"],
    ["explain", "-e", "dev"],
    ["diff", "dev", "dev"],
    ["promote", "dev", "dev"],
  ])("%s is a usage error naming both, never the last one wins", async (...args) => {
    const r = await runCli([...args, "-c", "apps/api/sequrity.config.yaml", "-c", "apps/web/sequrity.config.yaml"], monorepo());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      "error: option '-c, --config <file>' argument 'apps/web/sequrity.config.yaml' is invalid. This command reads one config, but -c was given more than once (apps/api/sequrity.config.yaml, then apps/web/sequrity.config.yaml).\n",
    );
  });
});

describe("test with several configs", () => {
  const TEST = (verdict: "allow" | "deny") =>
    `version: 1\ncases:\n  - name: send\n    steps:\n      - { call: send_email, args: { to: a@b.c }, expect: ${verdict} }\n`;
  const WITH_TESTS = `version: 1\ndefaults:\n  policy:\n    codes: { code: 'tool "send_email" { hard deny when to.value in {str like w"*@b.c"}; }' }\ntests: [tests/*.yaml]\nenvironments:\n  dev: {}\n`;

  it("runs each config's tests: into one report; a broken config and a failing case both fail the run", async () => {
    const dir = tempProject({
      ".git": "gitdir: elsewhere\n",
      "a/sequrity.config.yaml": WITH_TESTS,
      "a/tests/send.yaml": TEST("deny"),
      "b/sequrity.config.yaml": WITH_TESTS,
      "b/tests/send.yaml": TEST("allow"),
      "c/sequrity.config.yaml": BROKEN.replace("dev:\n", "dev:\n"),
    });
    const r = await runCli(["test", "--all", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { results: { file: string; passed: boolean }[]; summary: Record<string, number> };
    expect(doc.results.map((x) => [x.file, x.passed])).toEqual([
      ["a/tests/send.yaml", true],
      ["b/tests/send.yaml", false],
    ]);
    expect(doc.summary).toEqual({ cases: 2, passed: 1, failed: 1, undetermined: 0 });
    expect(r.stderr).toContain("c/sequrity.config.yaml:4:35: error: environments.dev.config.fsm.max_n_turns");
  });

  it("a config without tests: is skipped with a note among several; none with tests is a usage error", async () => {
    const dir = tempProject({
      ".git": "gitdir: elsewhere\n",
      "a/sequrity.config.yaml": WITH_TESTS,
      "a/tests/send.yaml": TEST("deny"),
      "b/sequrity.config.yaml": GOOD(3),
    });
    const r = await runCli(["test", "--all"], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("note: b/sequrity.config.yaml has no tests: (skipped)\nnote: dev: no agent_arch: simulated as Dual-LLM\n");
    const none = await runCli(
      ["test", "--all"],
      tempProject({ ".git": "gitdir: elsewhere\n", "a/sequrity.config.yaml": GOOD(3), "b/sequrity.config.yaml": GOOD(4) }),
    );
    expect(none).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "note: a/sequrity.config.yaml has no tests: (skipped)\nnote: b/sequrity.config.yaml has no tests: (skipped)\nerror: none of the configs has tests: to run\n",
    });
  });

  it("test FILE with several configs is a usage error", async () => {
    const r = await runCli(["test", "-c", "a.yaml", "-c", "b.yaml", "t.yaml"], tempProject({}));
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: test FILE... runs against one config; with several configs, each runs the files its tests: names\n",
    });
  });
});

describe("review with several configs", () => {
  it("--against with several configs is a usage error", async () => {
    const r = await runCli(["review", "--against", "old.yaml", "--all"], monorepo());
    expect(r).toEqual({ code: 2, stdout: "", stderr: "error: --against FILE compares one config; with several configs use --base REF\n" });
  });
});
