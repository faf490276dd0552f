#!/usr/bin/env node
// Bundles the CLI's hot path (our code, zod, yaml, commander) into dist/bundle/ so that a start
// reads a few files instead of hundreds. Packages used only by some commands stay external and
// load on demand. The bundle sits two levels below the package root, like every dist/ module,
// so paths computed from import.meta.url (schemas/, templates/, package.json) still hold.
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
await build({
  entryPoints: { cli: path.join(root, "src/cli/main.ts") },
  outdir: path.join(root, "dist/bundle"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "linked",
  external: ["cosmiconfig", "handlebars", "@cedar-policy/cedar-wasm", "ajv", "ajv/*"],
  // commander is CommonJS and requires node built-ins; ESM output needs a real `require` for that.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  logLevel: "warning",
});
