#!/usr/bin/env node
// Thin launcher for the bundled CLI (dist/, built by `npm run build`, which `npm ci` runs via `prepare`).
import { fileURLToPath } from "node:url";
import { loadWithCodeCache } from "../dist/code-cache.js";

const { main } = loadWithCodeCache(fileURLToPath(new URL("../dist/bundle/cli.cjs", import.meta.url)));

// `sequrity-config schema | head` closes the pipe early: that is not an error.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
