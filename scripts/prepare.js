#!/usr/bin/env node
// `prepare` (npm install / npm ci in a clone, npm pack, npm publish): build dist/, which bin/ runs.
// It builds only a source checkout. An installed copy of the package ships dist/ and no src/, so
// there is nothing to build there and nothing that could build it (no TypeScript, no devDependencies).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (!existsSync(path.join(root, "src")) || !existsSync(path.join(root, "tsconfig.build.json"))) process.exit(0);

// npm sets npm_execpath to its own CLI when it runs a script; run the build with that same npm.
const npm = process.env.npm_execpath;
const r = npm
  ? spawnSync(process.execPath, [npm, "run", "build"], { cwd: root, stdio: "inherit" })
  : spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
process.exitCode = r.status ?? 1;
