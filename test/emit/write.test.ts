import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkOutputs, writeOutputs } from "../../src/emit/write.js";
import { tempDir } from "./support.js";

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const listAll = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();

describe("writeOutputs", () => {
  it("creates parent directories and writes exact bytes, leaving no temp files", async () => {
    const r = await writeOutputs([{ path: "a/b/.env.dev", content: "X='1'\n" }, { path: "top.ts", content: "é\n" }], { cwd: tmp.dir });
    expect(r).toEqual({ written: ["a/b/.env.dev", "top.ts"], unchanged: [], removed: [] });
    expect(readFileSync(path.join(tmp.dir, "a/b/.env.dev"), "utf8")).toBe("X='1'\n");
    expect(readFileSync(path.join(tmp.dir, "top.ts"))).toEqual(Buffer.from("é\n", "utf8"));
    expect(listAll(tmp.dir)).toEqual(["a", "a/b", "a/b/.env.dev", "top.ts"]);
  });

  it("does not rewrite unchanged files (mtime kept) and rewrites changed ones keeping their mode", async () => {
    const same = path.join(tmp.dir, "same.txt");
    const changed = path.join(tmp.dir, "changed.txt");
    writeFileSync(same, "keep\n");
    writeFileSync(changed, "old\n");
    chmodSync(changed, 0o600);
    const past = new Date("2001-02-03T04:05:06Z");
    utimesSync(same, past, past);
    utimesSync(changed, past, past);
    const r = await writeOutputs([{ path: "same.txt", content: "keep\n" }, { path: "changed.txt", content: "new\n" }], { cwd: tmp.dir });
    expect(r).toEqual({ written: ["changed.txt"], unchanged: ["same.txt"], removed: [] });
    expect(statSync(same).mtimeMs).toBe(past.getTime());
    expect(statSync(changed).mtimeMs).not.toBe(past.getTime());
    expect(statSync(changed).mode & 0o777).toBe(0o600);
    expect(readFileSync(changed, "utf8")).toBe("new\n");
  });

  it("writes nothing when any file of the build cannot be written", async () => {
    writeFileSync(path.join(tmp.dir, "blocker"), "a file, not a directory");
    writeFileSync(path.join(tmp.dir, "existing.txt"), "before\n");
    const files = [
      { path: "existing.txt", content: "after\n" },
      { path: "newdir/deeper/x.txt", content: "x\n" },
      { path: "blocker/y.txt", content: "y\n" },
    ];
    await expect(writeOutputs(files, { cwd: tmp.dir })).rejects.toMatchObject({
      diagnostics: [{ code: "output-path", message: "cannot write the output blocker/y.txt: a parent of it is a file, not a directory" }],
    });
    expect(readFileSync(path.join(tmp.dir, "existing.txt"), "utf8")).toBe("before\n");
    expect(listAll(tmp.dir)).toEqual(["blocker", "existing.txt"]);
  });

  it("refuses stdout results and two outputs to one path", async () => {
    await expect(writeOutputs([{ path: "-", content: "" }], { cwd: tmp.dir })).rejects.toThrow(/stdout/);
    await expect(writeOutputs([{ path: "a", content: "1" }, { path: "./a", content: "2" }], { cwd: tmp.dir })).rejects.toMatchObject({
      diagnostics: [{ code: "output-conflict" }],
    });
    expect(existsSync(path.join(tmp.dir, "a"))).toBe(false);
  });
});

describe("checkOutputs", () => {
  it("reports an output path that is a directory as the user's mistake, not a crash", async () => {
    mkdirSync(path.join(tmp.dir, "adir"), { recursive: true });
    await expect(checkOutputs([{ path: "adir", content: "x" }], { cwd: tmp.dir })).rejects.toMatchObject({
      diagnostics: [{ code: "output-path", message: "cannot write the output adir: it is a directory" }],
    });
  });

  it("reports missing and differing files with short diffs and writes nothing", async () => {
    writeFileSync(path.join(tmp.dir, "up-to-date"), "same\n");
    writeFileSync(path.join(tmp.dir, "old.env"), "# banner\nA='1'\nB='2'\n");
    const before = listAll(tmp.dir);
    const r = await checkOutputs(
      [
        { path: "up-to-date", content: "same\n" },
        { path: "old.env", content: "# banner\nA='1'\nB='3'\n" },
        { path: "sub/new.env", content: "A='1'\n" },
      ],
      { cwd: tmp.dir },
    );
    expect(r.stale).toEqual([
      {
        path: "old.env",
        reason: "differs",
        diff: "--- old.env (on disk)\n+++ old.env (generated)\n@@ -3,1 +3,1 @@ first difference at line 3, column 4\n-B='2'\n+B='3'\n",
      },
      { path: "sub/new.env", reason: "missing", diff: "--- sub/new.env (missing)\n+++ sub/new.env (generated)\n@@ new file, 1 lines @@\n+A='1'\n" },
    ]);
    expect(listAll(tmp.dir)).toEqual(before);
  });

  it("shows only the region around the first differing column of a long header line", async () => {
    const long = `X='{"codes": "${"a".repeat(3000)}OLD${"b".repeat(2000)}"}'`;
    writeFileSync(path.join(tmp.dir, "h.env"), `${long}\n`);
    const r = await checkOutputs([{ path: "h.env", content: `${long.replace("OLD", "NEW")}\n` }], { cwd: tmp.dir });
    const diff = r.stale[0]?.diff ?? "";
    expect(diff).toContain(`first difference at line 1, column ${long.indexOf("OLD") + 1}`);
    const lines = diff.split("\n");
    expect(lines[3]).toBe(`-…${"a".repeat(40)}OLD${"b".repeat(77)}…`);
    expect(lines[4]).toBe(`+…${"a".repeat(40)}NEW${"b".repeat(77)}…`);
  });

  it("is empty when everything is up to date, and mentions a changed final newline", async () => {
    writeFileSync(path.join(tmp.dir, "f"), "x\n");
    expect(await checkOutputs([{ path: "f", content: "x\n" }], { cwd: tmp.dir })).toEqual({ stale: [] });
    const r = await checkOutputs([{ path: "f", content: "x" }], { cwd: tmp.dir });
    expect(r.stale[0]?.diff).toContain("only line endings or the final newline differ");
  });
});
