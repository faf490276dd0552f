// Real git repositories in temp folders, committed to with a fixed identity and clock.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { tempProject } from "../helpers.js";

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
  GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, env: ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Writes files (null deletes one) into the work tree. */
export function write(dir: string, files: Record<string, string | null>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (content === null) rmSync(file, { force: true });
    else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
}

/** Makes `dir` a repository whose first commit (on branch main) holds what is in it now. */
export function initRepo(dir: string): string {
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "first");
  return dir;
}

/** A repository whose first commit (on branch main) holds `files`. */
export function repo(files: Record<string, string>): string {
  return initRepo(tempProject(files));
}

export function commit(dir: string, files: Record<string, string | null>, message = "change"): void {
  write(dir, files);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
}
