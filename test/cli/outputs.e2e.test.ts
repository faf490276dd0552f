// build -f env through the CLI, read back by a POSIX shell and by dotenv.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import { describe, expect, it } from "vitest";
import { exampleProject, runCli } from "../helpers.js";

describe("build outputs read by their consumers", () => {
  it(".env files give back the exact header strings to a POSIX shell and to dotenv", async () => {
    const dir = exampleProject();
    const json = JSON.parse((await runCli(["build"], dir)).stdout) as Record<string, Record<string, string>>;
    const r = await runCli(["build", "-f", "env", "-o", "env/"], dir);
    expect(r.code).toBe(0);
    for (const env of ["dev", "staging", "prod"]) {
      const file = path.join(dir, "env", `.env.${env}`);
      const want = json[env] ?? {};
      const parsed = dotenv.parse(readFileSync(file, "utf8"));
      expect(parsed.SEQURITY_FEATURES).toBe(want["X-Features"]);
      expect(parsed.SEQURITY_POLICY).toBe(want["X-Policy"]);
      expect(parsed.SEQURITY_CONFIG).toBe(want["X-Config"]);
      const sh = spawnSync("sh", ["-c", `set -a; . "$1"; printf '%s\\0%s\\0%s' "$SEQURITY_FEATURES" "$SEQURITY_POLICY" "$SEQURITY_CONFIG"`, "sh", file], {
        encoding: "utf8",
      });
      expect(sh.stdout.split("\0")).toEqual([want["X-Features"], want["X-Policy"], want["X-Config"]]);
    }
  });
});
