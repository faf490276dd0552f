// build's refusals that depend on the process itself, through the real bin: a FIFO that would block
// whoever opens it, -o naming the process's own stdout, the umask, and signals mid-write.
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chmodSync, lstatSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exampleProject } from "../helpers.js";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "bin/sequrity-config.js");

function run(args: string[], cwd: string, options: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 20_000, ...options });
  return { code: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const temps = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".tmp"));

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("build refuses to destroy data, as a process", () => {
  it("refuses a FIFO without opening it (the run ends well within 5 s)", () => {
    const dir = exampleProject();
    expect(spawnSync("mkfifo", [path.join(dir, "pipe")]).status).toBe(0);
    const r = run(["build", "-f", "env", "-e", "dev", "-o", "pipe"], dir, { timeout: 5_000 });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("pipe/.env.dev: error: cannot write the output pipe/.env.dev: a parent of it is a file, not a directory\n1 error; nothing written\n");
    const json = run(["build", "-o", "pipe"], dir, { timeout: 5_000 });
    expect(json.code).toBe(1);
    expect(json.stderr).toBe("pipe: error: refusing to write pipe: it is a FIFO (named pipe); outputs are regular files\n1 error; nothing written\n");
    expect(lstatSync(path.join(dir, "pipe")).isFIFO()).toBe(true);
  });

  it("refuses -o /proc/self/fd/1 (a link), and with --force when stdout is a pipe, without hanging", () => {
    const dir = exampleProject();
    const r = run(["build", "-o", "/proc/self/fd/1"], dir, { timeout: 5_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "/proc/self/fd/1: error: refusing to write /proc/self/fd/1: it is a symbolic link; pass --force to write to the file it points at\n1 error; nothing written\n",
    );
    const forced = run(["build", "-o", "/proc/self/fd/1", "--force"], dir, { timeout: 5_000 });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toBe(
      "/proc/self/fd/1: error: refusing to write /proc/self/fd/1: it is a symbolic link to no file that can be written; point it at a file or remove it\n1 error; nothing written\n",
    );
  });

  it("keeps an existing output's mode on rewrite, including group-write bits the umask would clear", () => {
    const dir = exampleProject();
    expect(run(["build", "-f", "ts", "-o", "h.ts"], dir).code).toBe(0);
    chmodSync(path.join(dir, "h.ts"), 0o664);
    const config = path.join(dir, "sequrity.config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("max_n_turns: 10", "max_n_turns: 11"));
    const sh = spawnSync("sh", ["-c", 'umask 022 && exec "$0" "$@"', process.execPath, BIN, "build", "-f", "ts", "-o", "h.ts"], { cwd: dir, encoding: "utf8" });
    expect(sh.stderr).toBe("built 3 environments: 1 file written, 0 unchanged\n");
    expect(statSync(path.join(dir, "h.ts")).mode & 0o777).toBe(0o664);
    expect(readFileSync(path.join(dir, "h.ts"), "utf8")).toContain('\\"max_n_turns\\": 11');
  });
});

describe("temp files of interrupted builds", () => {
  // SEQURITY_CONFIG_TEST_HOLD_MS (test-only) makes a build wait once its temp files exist, before renaming them.
  async function startHeldBuild(dir: string) {
    const child = spawn(process.execPath, [BIN, "build", "-f", "env", "-o", "out"], {
      cwd: dir,
      env: { ...process.env, SEQURITY_CONFIG_TEST_HOLD_MS: "30000" },
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    await until(() => temps(dir).length === 3, "the held build's temp files");
    return { child, exited };
  }

  it("SIGTERM or SIGINT mid-write removes the temps, keeps the old outputs, and ends by the signal", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const dir = exampleProject();
      expect(run(["build", "-f", "env", "-o", "out"], dir).code).toBe(0);
      const before = readFileSync(path.join(dir, "out/.env.prod"), "utf8");
      const config = path.join(dir, "sequrity.config.yaml");
      writeFileSync(config, readFileSync(config, "utf8").replace("max_n_turns: 10", "max_n_turns: 11"));
      const { child, exited } = await startHeldBuild(dir);
      child.kill(signal);
      expect(await exited).toEqual({ code: null, signal });
      expect(temps(dir)).toEqual([]);
      expect(readFileSync(path.join(dir, "out/.env.prod"), "utf8")).toBe(before);
    }
  });

  it("temps left by a killed run (SIGKILL) are removed by the next build into that folder", async () => {
    const dir = exampleProject();
    const { child, exited } = await startHeldBuild(dir);
    child.kill("SIGKILL");
    expect(await exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(temps(dir)).toHaveLength(3);
    const r = run(["build", "-f", "env", "-o", "out"], dir);
    expect(r.stderr).toBe("built 3 environments: 3 files written, 0 unchanged\n");
    expect(temps(dir)).toEqual([]);
    expect(readdirSync(path.join(dir, "out")).sort()).toEqual([".env.dev", ".env.prod", ".env.staging"]);
  });
});
