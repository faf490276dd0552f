import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { checkOutputs, writeOutputs } from "../../src/emit/write.js";
import { freshDir } from "../helpers.js";
import { listAll, refusals } from "./support.js";

let tmp: string;
beforeEach(() => {
  tmp = freshDir();
});

describe("writeOutputs", () => {
  it("creates parent directories and writes exact bytes, leaving no temp files", async () => {
    const r = await writeOutputs(
      [
        { path: "a/b/.env.dev", content: "X='1'\n" },
        { path: "top.ts", content: "é\n" },
      ],
      { cwd: tmp },
    );
    expect(r).toEqual({ written: ["a/b/.env.dev", "top.ts"], unchanged: [], removed: [] });
    expect(readFileSync(path.join(tmp, "a/b/.env.dev"), "utf8")).toBe("X='1'\n");
    expect(readFileSync(path.join(tmp, "top.ts"))).toEqual(Buffer.from("é\n", "utf8"));
    expect(listAll(tmp)).toEqual(["a", "a/b", "a/b/.env.dev", "top.ts"]);
  });

  it("does not rewrite unchanged files (mtime kept) and rewrites changed ones keeping their mode", async () => {
    const same = path.join(tmp, "same.txt");
    const changed = path.join(tmp, "changed.txt");
    writeFileSync(same, "keep\n");
    writeFileSync(changed, "old\n");
    chmodSync(changed, 0o600);
    const past = new Date("2001-02-03T04:05:06Z");
    utimesSync(same, past, past);
    utimesSync(changed, past, past);
    const r = await writeOutputs(
      [
        { path: "same.txt", content: "keep\n" },
        { path: "changed.txt", content: "new\n" },
      ],
      { cwd: tmp },
    );
    expect(r).toEqual({ written: ["changed.txt"], unchanged: ["same.txt"], removed: [] });
    expect(statSync(same).mtimeMs).toBe(past.getTime());
    expect(statSync(changed).mtimeMs).not.toBe(past.getTime());
    expect(statSync(changed).mode & 0o777).toBe(0o600);
    expect(readFileSync(changed, "utf8")).toBe("new\n");
  });

  it("keeps the setgid bit of a file it rewrites, not only the permission bits", async () => {
    const file = path.join(tmp, "shared.txt");
    writeFileSync(file, "old\n");
    chmodSync(file, 0o2664);
    await writeOutputs([{ path: "shared.txt", content: "new\n" }], { cwd: tmp });
    expect(readFileSync(file, "utf8")).toBe("new\n");
    expect((statSync(file).mode & 0o7777).toString(8)).toBe("2664");
  });

  it("writes nothing when any file of the build cannot be written", async () => {
    writeFileSync(path.join(tmp, "blocker"), "a file, not a directory");
    writeFileSync(path.join(tmp, "existing.txt"), "before\n");
    const files = [
      { path: "existing.txt", content: "after\n" },
      { path: "newdir/deeper/x.txt", content: "x\n" },
      { path: "blocker/y.txt", content: "y\n" },
    ];
    await expect(writeOutputs(files, { cwd: tmp })).rejects.toMatchObject({
      diagnostics: [{ code: "output-path", message: "cannot write the output blocker/y.txt: a parent of it is a file, not a directory" }],
    });
    expect(readFileSync(path.join(tmp, "existing.txt"), "utf8")).toBe("before\n");
    expect(listAll(tmp)).toEqual(["blocker", "existing.txt"]);
  });

  it("removes every temp and the folders it created when one of many writes fails", async () => {
    // A 250-character name is a valid target, but its temp name (.NAME.<pid>.<hex>.tmp) is too long to create.
    const files = [
      ...Array.from({ length: 600 }, (_, i) => ({ path: `new/sub/.env.e${i}`, content: `X='${i}'\n` })),
      { path: `new/sub/${"n".repeat(250)}`, content: "last\n" },
      { path: "other/x.txt", content: "x\n" },
    ];
    await expect(writeOutputs(files, { cwd: tmp })).rejects.toMatchObject({
      diagnostics: [{ code: "write-failed", message: expect.stringMatching(/^nothing was written: ENAMETOOLONG/) }],
    });
    expect(listAll(tmp)).toEqual([]);
  });

  it("refuses stdout results and two outputs to one path", async () => {
    await expect(writeOutputs([{ path: "-", content: "" }], { cwd: tmp })).rejects.toThrow(/stdout/);
    await expect(
      writeOutputs(
        [
          { path: "a", content: "1" },
          { path: "./a", content: "2" },
        ],
        { cwd: tmp },
      ),
    ).rejects.toMatchObject({
      diagnostics: [{ code: "output-conflict" }],
    });
    expect(existsSync(path.join(tmp, "a"))).toBe(false);
  });
});

describe("checkOutputs", () => {
  it("reports an output path that is a directory as the user's mistake, not a crash", async () => {
    mkdirSync(path.join(tmp, "adir"), { recursive: true });
    await expect(checkOutputs([{ path: "adir", content: "x" }], { cwd: tmp })).rejects.toMatchObject({
      diagnostics: [{ code: "output-path", message: "cannot write the output adir: it is a directory" }],
    });
  });

  it("reports missing and differing files with short diffs and writes nothing", async () => {
    writeFileSync(path.join(tmp, "up-to-date"), "same\n");
    writeFileSync(path.join(tmp, "old.env"), "# banner\nA='1'\nB='2'\n");
    const before = listAll(tmp);
    const r = await checkOutputs(
      [
        { path: "up-to-date", content: "same\n" },
        { path: "old.env", content: "# banner\nA='1'\nB='3'\n" },
        { path: "sub/new.env", content: "A='1'\n" },
      ],
      { cwd: tmp },
    );
    expect(r.stale).toEqual([
      {
        path: "old.env",
        reason: "differs",
        diff: "--- old.env (on disk)\n+++ old.env (generated)\n@@ -3,1 +3,1 @@ first difference at line 3, column 4\n-B='2'\n+B='3'\n",
      },
      { path: "sub/new.env", reason: "missing", diff: "--- sub/new.env (missing)\n+++ sub/new.env (generated)\n@@ new file, 1 lines @@\n+A='1'\n" },
    ]);
    expect(listAll(tmp)).toEqual(before);
  });

  it("shows only the region around the first differing column of a long header line", async () => {
    const long = `X='{"codes": "${"a".repeat(3000)}OLD${"b".repeat(2000)}"}'`;
    writeFileSync(path.join(tmp, "h.env"), `${long}\n`);
    const r = await checkOutputs([{ path: "h.env", content: `${long.replace("OLD", "NEW")}\n` }], { cwd: tmp });
    const diff = r.stale[0]?.diff ?? "";
    expect(diff).toContain(`first difference at line 1, column ${long.indexOf("OLD") + 1}`);
    const lines = diff.split("\n");
    expect(lines[3]).toBe(`-…${"a".repeat(40)}OLD${"b".repeat(77)}…`);
    expect(lines[4]).toBe(`+…${"a".repeat(40)}NEW${"b".repeat(77)}…`);
  });

  it("is empty when everything is up to date, and mentions a changed final newline", async () => {
    writeFileSync(path.join(tmp, "f"), "x\n");
    expect(await checkOutputs([{ path: "f", content: "x\n" }], { cwd: tmp })).toEqual({ stale: [] });
    const r = await checkOutputs([{ path: "f", content: "x" }], { cwd: tmp });
    expect(r.stale[0]?.diff).toContain("only line endings or the final newline differ");
  });
});

describe("build outputs (guarded)", () => {
  const marked = "# Generated by sequrity-config 0.0.1 from x, environment a.\nA='1'\n";

  it("replaces files carrying the marker and headers JSON objects, and refuses other JSON", async () => {
    writeFileSync(path.join(tmp, "old.env"), `#!/bin/sh\n# ${"x".repeat(100)}\n\n\n// Generated by sequrity-config 9.9.9\nA=1\n`);
    writeFileSync(path.join(tmp, "headers.json"), '{"dev": {"X-Policy": "p"}, "prod": {}}');
    writeFileSync(path.join(tmp, "package.json"), '{"name": "app", "version": "1.0.0"}');
    writeFileSync(path.join(tmp, "late.env"), "1\n2\n3\n4\n5\n# Generated by sequrity-config\n");
    const guard = { inputs: [], force: false };
    const r = await writeOutputs(
      [
        { path: "old.env", content: "new\n" },
        { path: "headers.json", content: "{}\n" },
      ],
      { cwd: tmp, guard },
    );
    expect(r.written).toEqual(["old.env", "headers.json"]);
    expect(
      (
        await refusals(
          writeOutputs(
            [
              { path: "package.json", content: "{}\n" },
              { path: "late.env", content: "x\n" },
            ],
            { cwd: tmp, guard },
          ),
        )
      ).map((m) => m.split(" ")[0]),
    ).toEqual(["output-not-generated", "output-not-generated"]);
    // An identical file is left alone even without the marker: nothing would change.
    expect(await writeOutputs([{ path: "package.json", content: '{"name": "app", "version": "1.0.0"}' }], { cwd: tmp, guard })).toMatchObject({
      unchanged: ["package.json"],
    });
  });

  it("--force replaces a hand-written file and writes through a link, keeping the link", async () => {
    writeFileSync(path.join(tmp, "mine.ts"), "hand-written\n");
    symlinkSync("mine.ts", path.join(tmp, "alias.ts"));
    const guard = { inputs: [], force: true };
    expect(await writeOutputs([{ path: "alias.ts", content: "generated\n" }], { cwd: tmp, guard })).toEqual({
      written: ["alias.ts"],
      unchanged: [],
      removed: [],
    });
    expect(lstatSync(path.join(tmp, "alias.ts")).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(tmp, "mine.ts"), "utf8")).toBe("generated\n");
  });

  it("refuses the same file reached twice, through a link", async () => {
    writeFileSync(path.join(tmp, "a.env"), marked);
    symlinkSync("a.env", path.join(tmp, "b.env"));
    const guard = { inputs: [], force: true };
    expect(
      await refusals(
        writeOutputs(
          [
            { path: "a.env", content: "1" },
            { path: "b.env", content: "2" },
          ],
          { cwd: tmp, guard },
        ),
      ),
    ).toEqual(["output-conflict error: two outputs would be written to b.env (also named a.env)"]);
  });
});

describe("orphans", () => {
  const banner = (env: string, config = "../sequrity.config.yaml") => `# Generated by sequrity-config 0.0.9 from ${config}, environment ${env}.\nX='1'\n`;
  const sweep = { dir: "out", keep: ["prod", "staging"], configPath: "sequrity.config.yaml" };

  it("are .env files this config generated for environments it no longer defines; nothing else is touched", async () => {
    const out = path.join(tmp, "out");
    mkdirSync(out);
    writeFileSync(path.join(out, ".env.dev"), banner("dev"));
    writeFileSync(path.join(out, ".env.Staging"), banner("Staging")); // same file as staging on macOS
    writeFileSync(path.join(out, ".env.local"), "SECRET=1\n");
    writeFileSync(path.join(out, ".env.other"), banner("other", "../other/sequrity.config.yaml"));
    writeFileSync(path.join(out, ".env.wrongname"), banner("qa"));
    symlinkSync(".env.dev", path.join(out, ".env.link"));
    const files = [{ path: "out/.env.prod", content: banner("prod") }];
    expect(await checkOutputs(files, { cwd: tmp, guard: { inputs: [], force: false }, orphans: sweep })).toEqual({
      stale: [
        { path: "out/.env.prod", reason: "missing", diff: expect.any(String) as string },
        { path: "out/.env.dev", reason: "orphaned", diff: "" },
      ],
    });
    const r = await writeOutputs(files, { cwd: tmp, guard: { inputs: [], force: false }, orphans: sweep });
    expect(r).toEqual({ written: ["out/.env.prod"], unchanged: [], removed: ["out/.env.dev"] });
    expect(listAll(out)).toEqual([".env.Staging", ".env.link", ".env.local", ".env.other", ".env.prod", ".env.wrongname"]);
  });

  it("are not removed when the build refuses to write", async () => {
    const out = path.join(tmp, "out");
    mkdirSync(out);
    writeFileSync(path.join(out, ".env.dev"), banner("dev"));
    writeFileSync(path.join(out, ".env.prod"), "hand-written\n");
    await expect(
      writeOutputs([{ path: "out/.env.prod", content: banner("prod") }], { cwd: tmp, guard: { inputs: [], force: false }, orphans: sweep }),
    ).rejects.toMatchObject({
      diagnostics: [{ code: "output-not-generated" }],
    });
    expect(listAll(out)).toEqual([".env.dev", ".env.prod"]);
  });
});
