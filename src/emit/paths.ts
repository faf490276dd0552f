import { readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../schema/schema-files.js";

export { PACKAGE_ROOT } from "../schema/schema-files.js";

export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, "templates");

let cachedVersion: string | undefined;

/** The tool's version from package.json, read once (it goes into banners). */
export function toolVersion(): string {
  if (cachedVersion === undefined) {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: unknown };
    cachedVersion = typeof pkg.version === "string" ? pkg.version : "0.0.0";
  }
  return cachedVersion;
}

export function generatedBy(): string {
  return `sequrity-config ${toolVersion()}`;
}

/**
 * `target` as seen from the directory of `fromFile`, with `/` separators, so banners are identical
 * on every machine and OS.
 */
export function relativeForBanner(fromFile: string, target: string, cwd: string): string {
  const rel = path.relative(path.dirname(path.resolve(cwd, fromFile)), path.resolve(cwd, target));
  return (rel === "" ? path.basename(target) : rel).split(path.sep).join("/");
}

/** `target` relative to `cwd`, `/`-separated: for output printed to stdout (no output file to be relative to). */
export function relativeToCwd(target: string, cwd: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, target));
  return (rel === "" ? path.basename(target) : rel).split(path.sep).join("/");
}
