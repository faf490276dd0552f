#!/usr/bin/env node
// Bundles the CLI (our code, zod, yaml, commander) into one CommonJS file, dist/bundle/cli.cjs,
// and writes a V8 code cache beside it, so that a start neither resolves hundreds of modules nor
// parses a megabyte of JavaScript. Packages used only by some commands stay external and load on
// demand. The bundle sits two levels below the package root, like every dist/ module, so paths
// computed from import.meta.url (schemas/, templates/, package.json) still hold.
import { build } from "esbuild";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCommonJs } from "../dist/code-cache.js";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outfile = path.join(root, "dist/bundle/cli.cjs");
await build({
  entryPoints: [path.join(root, "src/cli/main.ts")],
  outfile,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "linked",
  external: ["jiti", "handlebars", "@cedar-policy/cedar-wasm", "ajv", "ajv/*"],
  // The bundle runs in a vm.Script (for the code cache), which has no import(): on-demand packages
  // (all CommonJS) are required instead.
  supported: { "dynamic-import": false },
  // CommonJS has no import.meta; the modules only use import.meta.url.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
});

// Run a real build once so the functions it uses are compiled into the cache, not only parsed.
const { exports, script } = loadCommonJs(outfile);
const quiet = { stdout() {}, stderr() {}, cwd: root, isTTY: false };
await exports.main(["build", "-c", path.join(root, "examples/sequrity.config.yaml")], quiet);
writeFileSync(outfile + ".cache", script.createCachedData());
