// Smoke tests of the real bin (bin/sequrity-config.js running the bundle in dist/): it starts, and it
// prints what main() prints, on the same streams, with the same exit status. What each command prints
// is pinned in-process by the other test/cli files.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../helpers.js";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin/sequrity-config.js");
const EXAMPLE = path.join(ROOT, "examples/sequrity.config.yaml");

function spawnBin(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the bin", () => {
  it("prints exactly what main() prints, results on stdout, diagnostics on stderr, with its exit status", async () => {
    const bad = tempProject({ "sequrity.config.yaml": "version: 1\nenvironments:\n  dev:\n    config:\n      fsm: {max_n_turns: 0}\n" });
    const cases: { args: string[]; cwd: string; code: number; streams: "stdout" | "stderr" }[] = [
      { args: ["build", "-c", EXAMPLE], cwd: ROOT, code: 0, streams: "stdout" },
      { args: ["validate", "-c", EXAMPLE], cwd: ROOT, code: 0, streams: "stderr" },
      { args: ["build"], cwd: bad, code: 1, streams: "stderr" },
      { args: ["frobnicate"], cwd: ROOT, code: 2, streams: "stderr" },
      { args: ["--help"], cwd: ROOT, code: 0, streams: "stdout" },
      { args: ["--version"], cwd: ROOT, code: 0, streams: "stdout" },
    ];
    for (const c of cases) {
      const what = `sequrity-config ${c.args.join(" ")} (the bin runs dist/: after editing src/, npm run build)`;
      const spawned = spawnBin(c.args, c.cwd);
      expect(spawned, what).toEqual(await runCli(c.args, c.cwd));
      expect(spawned.code, what).toBe(c.code);
      // One stream carries everything, the other nothing.
      expect(spawned[c.streams], what).not.toBe("");
      expect(spawned[c.streams === "stdout" ? "stderr" : "stdout"], what).toBe("");
    }
  });

  it("ends quietly with status 0 when the reader has closed the pipe (sequrity-config schema | true)", async () => {
    const child = spawn(process.execPath, [BIN, "schema"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    // Closed before the bin writes: its first write fails with EPIPE, which without the bin's handler is
    // an unhandled 'error' event (a stack trace and status 1).
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("close", (code, signal) => resolve({ code, signal })),
    );
    expect({ ...exit, stderr }).toEqual({ code: 0, signal: null, stderr: "" });
  });
});
