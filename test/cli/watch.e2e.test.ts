// `build --watch` through the real binary: rebuilds on edits to the config, to policy files and to the
// template, keeps the last good output when an edit is invalid, and recovers from a config that is
// missing or broken when it starts.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exampleProject, tempProject } from "../helpers.js";

const ROOT = path.resolve(__dirname, "../..");

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("build --watch (spawned)", { timeout: 60_000 }, () => {
  it("rebuilds on config and policy edits, one status line per build, keeping the last good output", async () => {
    const dir = exampleProject();
    const child = spawn(process.execPath, [path.join(ROOT, "bin/sequrity-config.js"), "build", "-f", "env", "-o", "out/", "-e", "dev", "--watch"], {
      cwd: dir,
    });
    let log = "";
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const statusLines = () => log.split("\n").filter((l) => /^\[\d\d:\d\d:\d\d\] /.test(l));
    const envFile = path.join(dir, "out/.env.dev");
    const config = path.join(dir, "sequrity.config.yaml");
    try {
      await until(() => statusLines().length === 1, "the first build");
      expect(statusLines()[0]).toMatch(/^\[\d\d:\d\d:\d\d\] built 1 environment: 1 file written, 0 unchanged$/);

      writeFileSync(config, readFileSync(config, "utf8").replace("max_n_turns: 10", "max_n_turns: 11"));
      await until(() => readFileSync(envFile, "utf8").includes('"max_n_turns": 11'), "the rebuild after a config edit");

      writeFileSync(config, readFileSync(config, "utf8").replace("max_n_turns: 11", "max_n_turns: eleven"));
      await until(() => statusLines().some((l) => l.endsWith("error: errors in the config (kept last good output)")), "the error status");
      expect(readFileSync(envFile, "utf8")).toContain('"max_n_turns": 11');

      writeFileSync(config, readFileSync(config, "utf8").replace("max_n_turns: eleven", "max_n_turns: 12"));
      await until(() => readFileSync(envFile, "utf8").includes('"max_n_turns": 12'), "recovery");

      appendFileSync(path.join(dir, "policies/internal-docs.sqrt"), '\nlet extra = {"x"};\n');
      await until(() => readFileSync(envFile, "utf8").includes("let extra"), "the rebuild after a policy edit");
    } finally {
      child.kill("SIGTERM");
    }
  });
});

const CONFIG = "version: 1\nenvironments:\n  dev:\n    config: {fsm: {max_n_turns: 3}}\n";

/** A watching build in `dir`; `lines()` are its status lines so far. Always stopped by the caller's finally. */
function startWatch(dir: string, args: string[]) {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/sequrity-config.js"), "build", ...args, "--watch"], { cwd: dir });
  let log = "";
  child.stderr.on("data", (d: Buffer) => (log += d.toString()));
  const lines = () =>
    log
      .split("\n")
      .filter((l) => /^\[\d\d:\d\d:\d\d\] /.test(l))
      .map((l) => l.slice(11));
  return { child, lines, log: () => log };
}

const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");

describe("build --watch recovers (spawned)", { timeout: 60_000 }, () => {
  it("started on a syntactically broken config, keeps watching and builds once it is fixed", async () => {
    const dir = tempProject({ "sequrity.config.yaml": "version: 1\nenvironments: {dev: [\n" });
    const w = startWatch(dir, ["-f", "ts", "-o", "out/h.ts"]);
    try {
      await until(() => w.lines().length === 1, "the first build");
      expect(w.lines()).toEqual(["error: errors in the config (kept last good output)"]);
      expect(w.log()).toMatch(/^sequrity\.config\.yaml:\d+:\d+: error: /);
      expect(w.child.exitCode).toBeNull();
      writeFileSync(path.join(dir, "sequrity.config.yaml"), CONFIG);
      await until(() => w.lines().includes("built 1 environment: 1 file written, 0 unchanged"), "the build after the fix");
      expect(read(path.join(dir, "out/h.ts"))).toContain('\\"max_n_turns\\": 3');
    } finally {
      w.child.kill("SIGTERM");
    }
  });

  it("started on a missing config (-c in a folder that does not exist yet), builds once the file is created", async () => {
    const dir = tempProject({});
    const w = startWatch(dir, ["-c", "conf/sequrity.config.yaml", "-f", "ts", "-o", "h.ts"]);
    try {
      await until(() => w.lines().length === 1, "the first build");
      expect(w.lines()).toEqual(["error: errors in the config (kept last good output)"]);
      expect(w.child.exitCode).toBeNull();
      mkdirSync(path.join(dir, "conf"));
      writeFileSync(path.join(dir, "conf/sequrity.config.yaml"), CONFIG);
      await until(() => read(path.join(dir, "h.ts")).includes('\\"max_n_turns\\": 3'), "the build after the config appeared");
    } finally {
      w.child.kill("SIGTERM");
    }
  });

  it("started where discovery finds no config, builds once one is created in the working directory", async () => {
    const dir = tempProject({ ".git/HEAD": "ref: refs/heads/main\n" });
    const w = startWatch(dir, ["-f", "ts", "-o", "h.ts"]);
    try {
      await until(() => w.lines().length === 1, "the first build");
      writeFileSync(path.join(dir, "sequrity.config.yaml"), CONFIG);
      await until(() => read(path.join(dir, "h.ts")).includes('\\"max_n_turns\\": 3'), "the build after the config appeared");
    } finally {
      w.child.kill("SIGTERM");
    }
  });

  it("rebuilds when the template changes", async () => {
    const dir = tempProject({ "sequrity.config.yaml": CONFIG, "list.hbs": "# Generated by {{generatedBy}}\n{{#each environments}}v1 {{name}}\n{{/each}}" });
    const w = startWatch(dir, ["-f", "list.hbs", "-o", "list.txt"]);
    try {
      await until(() => read(path.join(dir, "list.txt")).includes("v1 dev"), "the first build");
      writeFileSync(path.join(dir, "list.hbs"), "# Generated by {{generatedBy}}\n{{#each environments}}v2 {{name}}\n{{/each}}");
      await until(() => read(path.join(dir, "list.txt")).includes("v2 dev"), "the build after the template changed");
    } finally {
      w.child.kill("SIGTERM");
    }
  });

  it("an empty config mid-save is an error that keeps the last good output", async () => {
    const dir = tempProject({ "sequrity.config.yaml": CONFIG });
    const config = path.join(dir, "sequrity.config.yaml");
    const w = startWatch(dir, ["-c", "sequrity.config.yaml", "-f", "ts", "-o", "h.ts"]);
    try {
      await until(() => w.lines().length === 1, "the first build");
      const good = read(path.join(dir, "h.ts"));
      writeFileSync(config, "");
      await until(() => w.lines().length === 2, "the build of the empty file");
      expect(w.lines()[1]).toBe("error: errors in the config (kept last good output)");
      expect(w.log()).toContain("sequrity.config.yaml:1:1: error: the config file is empty");
      expect(read(path.join(dir, "h.ts"))).toBe(good);
      writeFileSync(config, CONFIG.replace("max_n_turns: 3", "max_n_turns: 4"));
      await until(() => read(path.join(dir, "h.ts")).includes('\\"max_n_turns\\": 4'), "the build after the save completed");
    } finally {
      w.child.kill("SIGTERM");
    }
  });
});
