// gitSource against real repositories: what a revision holds, read without touching the work tree.
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, symlinkSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { GitError, gitSource, gitTopLevel } from "../../src/load/git-source.js";
import { freshDir } from "../helpers.js";
import { commit, git, repo, write } from "./git.js";

describe("gitSource", { timeout: 60_000 }, () => {
  const opened: { close(): void }[] = [];
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
  });
  const open = async (dir: string, rev: string) => {
    const s = await gitSource(dir, rev);
    opened.push(s);
    return s;
  };

  it("lists files, derived directories and symlinks as they are in the revision, not in the work tree", async () => {
    const dir = repo({ "a.yaml": "one\n", "sub/deep/b.sqrt": "two\n" });
    symlinkSync("sub/deep/b.sqrt", path.join(dir, "link"));
    commit(dir, { "a.yaml": "changed\n" });
    write(dir, { "a.yaml": "in the work tree only\n", "new.txt": "x" });
    const s = await open(dir, "HEAD~1");
    expect(s.label).toBe("git revision HEAD~1");
    expect(s.root).toBe(dir);
    expect(await s.lstat(path.join(dir, "a.yaml"))).toEqual({ kind: "file", size: 4 });
    expect((await s.readFile(path.join(dir, "a.yaml"), 100)).toString()).toBe("one\n");
    expect(await s.lstat(path.join(dir, "sub"))).toEqual({ kind: "directory", size: 0 });
    expect(await s.lstat(path.join(dir, "new.txt"))).toBeUndefined();
    expect(await s.lstat(path.join(dir, "link"))).toBeUndefined();
    expect(await s.readdir(dir)).toEqual(["a.yaml", "sub"]);
    expect(await s.readdir(path.join(dir, "sub"))).toEqual(["deep"]);

    const head = await open(dir, "HEAD");
    expect(await head.lstat(path.join(dir, "link"))).toEqual({ kind: "symlink", size: 15 });
    expect(await head.readlink(path.join(dir, "link"))).toBe("sub/deep/b.sqrt");
    // Reading through a symlink follows it, inside the revision.
    expect((await head.readFile(path.join(dir, "link"), 100)).toString()).toBe("two\n");
    expect(readFileSync(path.join(dir, "a.yaml"), "utf8")).toBe("in the work tree only\n");
  });

  it("reads at most maxBytes + 1 bytes of a file, many files through one process", async () => {
    const files: Record<string, string> = { "big.txt": "x".repeat(100_000) };
    for (let i = 0; i < 50; i++) files[`f${i}.txt`] = `file ${i}\n`;
    const dir = repo(files);
    const s = await open(dir, "main");
    expect((await s.readFile(path.join(dir, "big.txt"), 10)).length).toBe(11);
    const texts = await Promise.all(Array.from({ length: 50 }, (_, i) => s.readFile(path.join(dir, `f${i}.txt`), 100)));
    expect(texts.map((b) => b.toString())).toEqual(Array.from({ length: 50 }, (_, i) => `file ${i}\n`));
    expect((await s.readFile(path.join(dir, "big.txt"), 1_000_000)).toString()).toBe(files["big.txt"]);
  });

  it("shows folders above the work tree as folders holding only the way down, and nothing else outside it", async () => {
    const dir = repo({ "a.yaml": "x" });
    const s = await open(dir, "HEAD");
    expect(await s.lstat("/")).toEqual({ kind: "directory", size: 0 });
    expect(await s.readdir(path.dirname(dir))).toEqual([path.basename(dir)]);
    expect(await s.lstat(path.join(path.dirname(dir), "elsewhere.yaml"))).toBeUndefined();
  });

  it("reports a submodule as `other`, and errors like the file system for what cannot be read", async () => {
    const dir = repo({ "a.yaml": "x" });
    const head = git(dir, "rev-parse", "HEAD").trim();
    git(dir, "update-index", "--add", "--cacheinfo", `160000,${head},vendor`);
    git(dir, "commit", "-q", "-m", "submodule");
    const s = await open(dir, "HEAD");
    expect(await s.lstat(path.join(dir, "vendor"))).toEqual({ kind: "other", size: 0 });
    await expect(s.readFile(path.join(dir, "missing"), 10)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(s.readFile(dir, 10)).rejects.toMatchObject({ code: "EISDIR" });
    await expect(s.readlink(path.join(dir, "a.yaml"))).rejects.toMatchObject({ code: "EINVAL" });
  });

  it("never touches the work tree or the index", async () => {
    const dir = repo({ "a.yaml": "x" });
    write(dir, { "a.yaml": "edited" });
    // `--no-optional-locks`: status itself must not refresh the index either.
    const state = () => [
      statSync(path.join(dir, ".git/index")).mtimeMs,
      git(dir, "--no-optional-locks", "status", "--porcelain"),
      readFileSync(path.join(dir, "a.yaml"), "utf8"),
    ];
    const before = state();
    const s = await open(dir, "HEAD");
    await s.readFile(path.join(dir, "a.yaml"), 10);
    expect(state()).toEqual(before);
    expect(before.slice(1)).toEqual([" M a.yaml\n", "edited"]);
  });

  it("fails with git's own message for an unknown revision and outside a repository", async () => {
    const dir = repo({ "a.yaml": "x" });
    await expect(gitSource(dir, "no-such-ref")).rejects.toThrow(new GitError("fatal: Not a valid object name no-such-ref"));
    // A revision that looks like an option is still a revision.
    await expect(gitSource(dir, "--output=x")).rejects.toThrow(new GitError("fatal: Not a valid object name --output=x"));
    const plain = freshDir();
    await expect(gitTopLevel(plain)).rejects.toThrow(new GitError("fatal: not a git repository (or any of the parent directories): .git"));
  });

  it("says git is not installed when there is no git to run", async () => {
    const dir = repo({ "a.yaml": "x" });
    const saved = process.env.PATH;
    process.env.PATH = freshDir();
    try {
      await expect(gitTopLevel(dir)).rejects.toThrow(new GitError("git is not installed (or not on PATH)"));
    } finally {
      process.env.PATH = saved;
    }
  });

  it("finds the top of the work tree from a subfolder, spelled as the subfolder is", async () => {
    const dir = repo({ "sub/a.yaml": "x" });
    expect(await gitTopLevel(path.join(dir, "sub"))).toBe(dir);
    const link = path.join(freshDir(), "checkout");
    symlinkSync(dir, link);
    expect(await gitTopLevel(path.join(link, "sub"))).toBe(link);
  });

  it("a source that is never closed does not keep Node running (its git process is unreferenced while idle)", () => {
    const dir = repo({ "a.yaml": "x" });
    const module = pathToFileURL(path.resolve(__dirname, "../../dist/load/git-source.js")).href;
    const script = `const { gitSource } = await import(${JSON.stringify(module)});
const s = await gitSource(${JSON.stringify(dir)}, "HEAD");
process.stdout.write(await s.readFile(${JSON.stringify(path.join(dir, "a.yaml"))}, 10));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect([r.signal, r.status, r.stdout]).toEqual([null, 0, "x"]);
  });
});
