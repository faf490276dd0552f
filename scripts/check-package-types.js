#!/usr/bin/env node
// `npm run attw`: packs the package as npm would publish it (dist/ as built; no scripts run) and
// checks its types with arethetypeswrong. The package is ESM-only, so the esm-only profile is
// used: CommonJS callers get a type error on `require`, never a program that compiles then crashes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = mkdtempSync(path.join(tmpdir(), "sequrity-attw-"));
const npm = process.env.npm_execpath;
const run = (command, args) =>
  command === "npm" && npm
    ? spawnSync(process.execPath, [npm, ...args], { cwd: root, encoding: "utf8" })
    : spawnSync(command, args, { cwd: root, encoding: "utf8" });
try {
  const pack = run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", out]);
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const tarball = path.join(
    out,
    readdirSync(out).find((f) => f.endsWith(".tgz")),
  );
  const attw = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/@arethetypeswrong/cli/dist/index.js"), tarball, "--profile", "esm-only", "--format", "ascii"],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  if (attw.status !== 0) {
    process.stdout.write(attw.stdout + attw.stderr);
    process.exitCode = 1;
  } else {
    console.log("attw: no problems in the packed package (esm-only profile)");
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
