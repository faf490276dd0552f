/**
 * Finds the config file when `-c` is not given: the search places cosmiconfig uses for the module name
 * `sequrity`, plus `sequrity.config.yaml/.yml/.json` (product.md), searched upward from the
 * working directory. The search stops at the project: the first folder holding `package.json`
 * or `.git` is the last one searched, so a `.sequrityrc.cjs` planted in a parent folder (or in
 * /tmp) is never found, let alone run. There is no global config folder.
 */
import path from "node:path";
import type { FileSource } from "./file-source.js";
import { FILE_KINDS } from "./project-files.js";

export const MODULE_NAME = "sequrity";

export interface Discovered {
  file: string;
  /** For package.json: the config sits under this key. */
  packageKey?: string;
}

export const SEARCH_PLACES = [
  "package.json",
  `.${MODULE_NAME}rc`,
  `.${MODULE_NAME}rc.json`,
  `.${MODULE_NAME}rc.yaml`,
  `.${MODULE_NAME}rc.yml`,
  `.${MODULE_NAME}rc.js`,
  `.${MODULE_NAME}rc.ts`,
  `.${MODULE_NAME}rc.mjs`,
  `.${MODULE_NAME}rc.cjs`,
  `.config/${MODULE_NAME}rc`,
  `.config/${MODULE_NAME}rc.json`,
  `.config/${MODULE_NAME}rc.yaml`,
  `.config/${MODULE_NAME}rc.yml`,
  `${MODULE_NAME}.config.yaml`,
  `${MODULE_NAME}.config.yml`,
  `${MODULE_NAME}.config.json`,
  `${MODULE_NAME}.config.js`,
  `${MODULE_NAME}.config.ts`,
  `${MODULE_NAME}.config.mjs`,
  `${MODULE_NAME}.config.cjs`,
];

/** Folders that end the upward search (after they have been searched themselves). */
const PROJECT_MARKERS = ["package.json", ".git"];

export interface DiscoveryResult {
  found?: Discovered;
  /** The folders searched, nearest first, for the "not found" message. */
  searched: string[];
}

export async function discoverConfig(from: string, source: FileSource): Promise<DiscoveryResult> {
  const searched: string[] = [];
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    searched.push(dir);
    for (const place of SEARCH_PLACES) {
      const file = path.join(dir, place);
      const entry = await source.lstat(file);
      // An empty file is found (and then refused as empty), never skipped for a parent's config.
      if (!entry || entry.kind === "directory") continue;
      if (place !== "package.json") return { found: { file }, searched };
      if (await hasPackageKey(source, file)) return { found: { file, packageKey: MODULE_NAME }, searched };
    }
    for (const marker of PROJECT_MARKERS) if (await source.lstat(path.join(dir, marker))) return { searched };
    if (path.dirname(dir) === dir) return { searched };
  }
}

/** A package.json counts only when it has the `sequrity` key; an unreadable one is not a config. */
async function hasPackageKey(source: FileSource, file: string): Promise<boolean> {
  try {
    const entry = await source.lstat(file);
    if (entry?.kind !== "file" || entry.size > FILE_KINDS.config.maxBytes) return false;
    const pkg = JSON.parse((await source.readFile(file, FILE_KINDS.config.maxBytes)).toString("utf8")) as unknown;
    return typeof pkg === "object" && pkg !== null && MODULE_NAME in pkg;
  } catch {
    return false;
  }
}
