// A temp project that has sequrity-config installed (node_modules/sequrity-config links to this
// checkout, as `npm link` would), for what consumers see: package exports, shipped types, tsc.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { tempProject } from "./helpers.js";

export const ROOT = path.resolve(__dirname, "..");
const TSC = path.join(ROOT, "node_modules/.bin/tsc");

export function installedProject(files: Record<string, string>): string {
  if (!existsSync(path.join(ROOT, "dist/index.d.ts"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  const dir = tempProject(files);
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  symlinkSync(ROOT, path.join(dir, "node_modules/sequrity-config"), "dir");
  return dir;
}

/** A strict tsconfig for an ESM project, as `tsc --init` and Vite's templates write it (skipLibCheck included). */
export const STRICT_TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", noEmit: true, skipLibCheck: true, types: [] },
});

/** `tsc -p DIR` (its tsconfig.json); the diagnostics it prints, with paths relative to DIR. */
export function tsc(dir: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [TSC, "-p", dir, "--pretty", "false"], { cwd: dir, encoding: "utf8" });
  return { status: r.status, output: r.stdout + r.stderr };
}
