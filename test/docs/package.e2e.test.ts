// What `npm pack` would publish: the README's links work in the installed package too, and the
// tarball holds no sources, which is what makes `prepare` a no-op there.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freshDir } from "../helpers.js";
import { linksOf, markdownPages } from "./markdown.js";

const ROOT = path.resolve(__dirname, "../..");

function packedFiles(): Set<string> {
  // --ignore-scripts: listing the files must not run `prepare` (a full build).
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", shell: process.platform === "win32" });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  return new Set((pack?.files ?? []).map((f) => f.path));
}

describe("the npm tarball", { timeout: 60_000 }, () => {
  const files = packedFiles();

  it("holds the license, the README, the schemas and every docs and examples page", () => {
    const wanted = [
      "LICENSE",
      "README.md",
      "package.json",
      "schemas/sequrity-config.schema.json",
      "schemas/x-features.schema.json",
      "schemas/x-policy.schema.json",
      "schemas/x-config.schema.json",
    ];
    const pages = markdownPages(ROOT).filter((p) => p.startsWith("docs/") || p.startsWith("examples/"));
    expect([...wanted, ...pages].filter((f) => !files.has(f))).toEqual([]);
    expect(pages.length).toBeGreaterThan(0);
  });

  it("holds every file the README links to", () => {
    const targets = linksOf(readFileSync(path.join(ROOT, "README.md"), "utf8"))
      .filter((href) => !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("#"))
      .map((href) => path.posix.normalize(href.split("#")[0] as string).replace(/\/$/, ""));
    const missing = targets.filter((t) => !files.has(t) && ![...files].some((f) => f.startsWith(`${t}/`)));
    expect(missing).toEqual([]);
  });

  it("holds no sources or tests", () => {
    expect([...files].filter((f) => /^(src|test|scripts|bench)\//.test(f))).toEqual([]);
  });
});

describe("prepare", () => {
  /** A folder with scripts/prepare.js, the given files, and a stand-in npm that records its arguments. */
  function runPrepare(files: Record<string, string>): { status: number | null; npmArgs: string | undefined; dir: string } {
    const dir = freshDir();
    mkdirSync(path.join(dir, "scripts"));
    copyFileSync(path.join(ROOT, "scripts/prepare.js"), path.join(dir, "scripts/prepare.js"));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    const fakeNpm = path.join(dir, "fake-npm.cjs");
    writeFileSync(fakeNpm, `require("fs").writeFileSync(${JSON.stringify(path.join(dir, "npm-args"))}, process.argv.slice(2).join(" "));\n`);
    const r = spawnSync(process.execPath, [path.join(dir, "scripts/prepare.js")], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, npm_execpath: fakeNpm },
    });
    const argsFile = path.join(dir, "npm-args");
    return { status: r.status, npmArgs: existsSync(argsFile) ? readFileSync(argsFile, "utf8") : undefined, dir };
  }

  it("builds a source checkout (npm install or npm ci in a clone), with the npm that runs it", () => {
    expect(runPrepare({ "src/index.ts": "", "tsconfig.build.json": "{}" })).toMatchObject({ status: 0, npmArgs: "run build" });
  });

  it("does nothing where there are no sources, as in an installed package", () => {
    const r = runPrepare({});
    expect(r).toMatchObject({ status: 0, npmArgs: undefined });
    expect(existsSync(path.join(r.dir, "dist"))).toBe(false);
  });
});
