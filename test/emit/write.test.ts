import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiagnosticError, formatDiagnostic } from "../../src/diagnostics/index.js";
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

describe("build outputs (guarded)", () => {
  const messages = async (p: Promise<unknown>): Promise<string[]> => {
    try {
      await p;
    } catch (err) {
      if (err instanceof DiagnosticError) return err.diagnostics.map((d) => `${d.code} ${formatDiagnostic(d)}`);
      throw err;
    }
    throw new Error("expected a refusal");
  };
  const marked = "# Generated by sequrity-config 0.0.1 from x, environment a.\nA='1'\n";

  it("refuses a hand-written file, an input, a hard link to it, links, a directory, a device and a FIFO, all at once, writing nothing", async () => {
    const at = (name: string) => path.join(tmp.dir, name);
    writeFileSync(at("app.ts"), "export const mine = 1;\n");
    writeFileSync(at("sequrity.config.yaml"), "version: 1\n");
    linkSync(at("sequrity.config.yaml"), at("hard-link.yaml"));
    writeFileSync(at("generated.env"), marked);
    symlinkSync("generated.env", at("link.env"));
    symlinkSync("missing.env", at("dangling.env"));
    mkdirSync(at("adir"));
    expect(spawnSync("mkfifo", [at("fifo")]).status).toBe(0);
    const files = [
      { path: "new.env", content: marked },
      { path: "app.ts", content: marked },
      { path: "sequrity.config.yaml", content: marked },
      { path: "hard-link.yaml", content: marked },
      { path: "link.env", content: marked },
      { path: "dangling.env", content: marked },
      { path: "adir", content: marked },
      { path: "out/", content: marked },
      { path: "fifo", content: marked },
      { path: "/dev/null", content: marked },
    ];
    const before = listAll(tmp.dir);
    const guard = { inputs: [at("sequrity.config.yaml")], force: false };
    const gen = 'no "Generated by sequrity-config" line in its first 5 lines, and not a build -f json object';
    expect(await messages(writeOutputs(files, { cwd: tmp.dir, guard }))).toEqual([
      `output-not-generated app.ts: error: refusing to replace app.ts: it was not generated by sequrity-config (${gen}); move it away, choose another -o, or pass --force to replace it`,
      "output-is-input sequrity.config.yaml: error: refusing to write sequrity.config.yaml: it is an input of this build (the config, a policy file or the template); choose another -o",
      "output-is-input hard-link.yaml: error: refusing to write hard-link.yaml: it is an input of this build (the config, a policy file or the template); choose another -o",
      "output-symlink link.env: error: refusing to write link.env: it is a symbolic link; pass --force to write to the file it points at",
      "output-symlink dangling.env: error: refusing to write dangling.env: it is a symbolic link; pass --force to write to the file it points at",
      "output-path adir: error: cannot write the output adir: it is a directory",
      "output-path out/: error: cannot write the output out/: a path ending in / is a directory; name a file",
      "output-not-regular fifo: error: refusing to write fifo: it is a FIFO (named pipe); outputs are regular files",
      "output-not-regular /dev/null: error: refusing to write /dev/null: it is a character device; outputs are regular files",
    ]);
    expect(listAll(tmp.dir)).toEqual(before);
    expect(readFileSync(at("app.ts"), "utf8")).toBe("export const mine = 1;\n");
    expect(lstatSync("/dev/null").isCharacterDevice()).toBe(true);

    // --force lifts only the marker and link rules: inputs, directories, devices and FIFOs stay refused.
    const forced = await messages(writeOutputs(files, { cwd: tmp.dir, guard: { ...guard, force: true } }));
    expect(forced.map((m) => m.split(" ")[0])).toEqual(["output-is-input", "output-is-input", "output-symlink", "output-path", "output-path", "output-not-regular", "output-not-regular"]);
    expect(forced[2]).toBe("output-symlink dangling.env: error: refusing to write dangling.env: it is a symbolic link to no file that can be written; point it at a file or remove it");
    expect(listAll(tmp.dir)).toEqual(before);
  });

  it("replaces files carrying the marker and headers JSON objects, and refuses other JSON", async () => {
    writeFileSync(path.join(tmp.dir, "old.env"), `#!/bin/sh\n# ${"x".repeat(100)}\n\n\n// Generated by sequrity-config 9.9.9\nA=1\n`);
    writeFileSync(path.join(tmp.dir, "headers.json"), '{"dev": {"X-Policy": "p"}, "prod": {}}');
    writeFileSync(path.join(tmp.dir, "package.json"), '{"name": "app", "version": "1.0.0"}');
    writeFileSync(path.join(tmp.dir, "late.env"), "1\n2\n3\n4\n5\n# Generated by sequrity-config\n");
    const guard = { inputs: [], force: false };
    const r = await writeOutputs([{ path: "old.env", content: "new\n" }, { path: "headers.json", content: "{}\n" }], { cwd: tmp.dir, guard });
    expect(r.written).toEqual(["old.env", "headers.json"]);
    expect((await messages(writeOutputs([{ path: "package.json", content: "{}\n" }, { path: "late.env", content: "x\n" }], { cwd: tmp.dir, guard }))).map((m) => m.split(" ")[0])).toEqual([
      "output-not-generated",
      "output-not-generated",
    ]);
    // An identical file is left alone even without the marker: nothing would change.
    expect(await writeOutputs([{ path: "package.json", content: '{"name": "app", "version": "1.0.0"}' }], { cwd: tmp.dir, guard })).toMatchObject({ unchanged: ["package.json"] });
  });

  it("--force replaces a hand-written file and writes through a link, keeping the link", async () => {
    writeFileSync(path.join(tmp.dir, "mine.ts"), "hand-written\n");
    symlinkSync("mine.ts", path.join(tmp.dir, "alias.ts"));
    const guard = { inputs: [], force: true };
    expect(await writeOutputs([{ path: "alias.ts", content: "generated\n" }], { cwd: tmp.dir, guard })).toEqual({ written: ["alias.ts"], unchanged: [], removed: [] });
    expect(lstatSync(path.join(tmp.dir, "alias.ts")).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(tmp.dir, "mine.ts"), "utf8")).toBe("generated\n");
  });

  it("refuses the same file reached twice, through a link", async () => {
    writeFileSync(path.join(tmp.dir, "a.env"), marked);
    symlinkSync("a.env", path.join(tmp.dir, "b.env"));
    const guard = { inputs: [], force: true };
    expect(await messages(writeOutputs([{ path: "a.env", content: "1" }, { path: "b.env", content: "2" }], { cwd: tmp.dir, guard }))).toEqual([
      "output-conflict error: two outputs would be written to b.env (also named a.env)",
    ]);
  });
});

describe("orphans", () => {
  const banner = (env: string, config = "../sequrity.config.yaml") => `# Generated by sequrity-config 0.0.9 from ${config}, environment ${env}.\nX='1'\n`;
  const sweep = { dir: "out", keep: ["prod", "staging"], configPath: "sequrity.config.yaml" };

  it("are .env files this config generated for environments it no longer defines; nothing else is touched", async () => {
    const out = path.join(tmp.dir, "out");
    mkdirSync(out);
    writeFileSync(path.join(out, ".env.dev"), banner("dev"));
    writeFileSync(path.join(out, ".env.Staging"), banner("Staging")); // same file as staging on macOS
    writeFileSync(path.join(out, ".env.local"), "SECRET=1\n");
    writeFileSync(path.join(out, ".env.other"), banner("other", "../other/sequrity.config.yaml"));
    writeFileSync(path.join(out, ".env.wrongname"), banner("qa"));
    symlinkSync(".env.dev", path.join(out, ".env.link"));
    const files = [{ path: "out/.env.prod", content: banner("prod") }];
    expect(await checkOutputs(files, { cwd: tmp.dir, guard: { inputs: [], force: false }, orphans: sweep })).toEqual({
      stale: [
        { path: "out/.env.prod", reason: "missing", diff: expect.any(String) as string },
        { path: "out/.env.dev", reason: "orphaned", diff: "" },
      ],
    });
    const r = await writeOutputs(files, { cwd: tmp.dir, guard: { inputs: [], force: false }, orphans: sweep });
    expect(r).toEqual({ written: ["out/.env.prod"], unchanged: [], removed: ["out/.env.dev"] });
    expect(listAll(out)).toEqual([".env.Staging", ".env.link", ".env.local", ".env.other", ".env.prod", ".env.wrongname"]);
  });

  it("are not removed when the build refuses to write", async () => {
    const out = path.join(tmp.dir, "out");
    mkdirSync(out);
    writeFileSync(path.join(out, ".env.dev"), banner("dev"));
    writeFileSync(path.join(out, ".env.prod"), "hand-written\n");
    await expect(writeOutputs([{ path: "out/.env.prod", content: banner("prod") }], { cwd: tmp.dir, guard: { inputs: [], force: false }, orphans: sweep })).rejects.toMatchObject({
      diagnostics: [{ code: "output-not-generated" }],
    });
    expect(listAll(out)).toEqual([".env.dev", ".env.prod"]);
  });
});

describe("temp files", () => {
  it("leftovers of a dead process, of an earlier process with our pid, and old ones are removed; a live writer's fresh temp is kept", async () => {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    const name = (pid: number, hex: string) => `.x.env.${pid}.${hex}.tmp`;
    const live = process.ppid; // alive for the whole test
    for (const n of [name(dead, "0000000a"), name(process.pid, "0000000b"), name(live, "0000000c"), name(live, "0000000d"), ".notes.123.tmp", "x.1.0000000e.tmp"]) {
      writeFileSync(path.join(tmp.dir, n), "partial");
    }
    const old = new Date(Date.now() - 11 * 60 * 1000);
    utimesSync(path.join(tmp.dir, name(live, "0000000d")), old, old);
    await writeOutputs([{ path: "x.env", content: "done\n" }], { cwd: tmp.dir });
    expect(listAll(tmp.dir)).toEqual([name(live, "0000000c"), ".notes.123.tmp", "x.1.0000000e.tmp", "x.env"].sort());
  });
});
