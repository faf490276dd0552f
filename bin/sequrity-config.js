#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, run on `npm ci` via `prepare`).
import { main } from "../dist/bundle/cli.js";

process.exitCode = await main(process.argv.slice(2));
