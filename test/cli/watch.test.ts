// `build --watch` through the real binary: rebuilds on edits to the config and to policy files,
// and keeps the last good output when an edit is invalid.
import { spawn } from "node:child_process";
import { cpSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempProject } from "../helpers.js";

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
    const dir = tempProject({});
    cpSync(path.join(ROOT, "examples/sequrity.config.yaml"), path.join(dir, "sequrity.config.yaml"));
    cpSync(path.join(ROOT, "examples/policies"), path.join(dir, "policies"), { recursive: true });
    const child = spawn(process.execPath, [path.join(ROOT, "bin/sequrity-config.js"), "build", "-f", "env", "-o", "out/", "-e", "dev", "--watch"], { cwd: dir });
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
