/**
 * Imported packages: found the way Node finds a dependency (`node_modules/NAME` in the config's
 * folder, then in each folder above it), and the config each ships. A package's folder is taken at
 * its real path (a workspace package is a symlink into the repository); it is the imported config's
 * project root, so its policy files must stay inside it.
 */
import path from "node:path";
import type { FileSource } from "./file-source.js";
import { readProjectFile, realPath } from "./project-files.js";

/** The real path of package `name` as seen from `fromDir`, or undefined when no folder has it. */
export async function findPackage(name: string, fromDir: string, source: FileSource): Promise<string | undefined> {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    // Node does not look for node_modules/node_modules.
    if (path.basename(dir) !== "node_modules") {
      const found = await realPath(source, path.join(dir, "node_modules", ...name.split("/")));
      if (found.ok && (await source.lstat(found.real))?.kind === "directory") return found.real;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

export type PackageConfig = { ok: true; file: string } | { ok: false; message: string };

const DEFAULT_CONFIG = "sequrity.config.yaml";

/** The config a package ships: the file its package.json `sequrity` field names, else sequrity.config.yaml at its root. */
export async function packageConfigFile(name: string, packageDir: string, source: FileSource): Promise<PackageConfig> {
  const manifest = await readProjectFile(source, path.join(packageDir, "package.json"), { kind: "config", root: packageDir });
  if (manifest.ok) {
    let field: unknown;
    try {
      field = (JSON.parse(manifest.text) as { sequrity?: unknown }).sequrity;
    } catch {
      return { ok: false, message: `the package.json of ${name} is not valid JSON` };
    }
    // A `sequrity` mapping is the package's own config (discovery reads it), not one it ships.
    if (typeof field === "string" && field !== "") return { ok: true, file: path.resolve(packageDir, field) };
  }
  const file = path.join(packageDir, DEFAULT_CONFIG);
  if ((await source.lstat(file)) === undefined) {
    return { ok: false, message: `package ${name} has no ${DEFAULT_CONFIG} at its root, and its package.json names no config file in a "sequrity" field` };
  }
  return { ok: true, file };
}
