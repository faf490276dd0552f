/**
 * Finds the config file when `-c` is not given: the search places cosmiconfig uses for the module name
 * `sequrity`, plus `sequrity.config.yaml/.yml/.json` (product.md), searched upward from the
 * working directory. The search stops at the project: the first folder holding `package.json`
 * or `.git` is the last one searched; with none above, the working directory is the only one. So
 * a `.sequrityrc.cjs` planted in a parent folder (or in /tmp) is never found, let alone run.
 * There is no global config folder.
 */
import path from "node:path";
import type { FileSource } from "./file-source.js";
import { readProjectFile } from "./project-files.js";
import { isSkippedFolder } from "./skipped-folders.js";

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

/** Folders that end the upward search (after they have been searched themselves); without one, only the start is searched. */
const PROJECT_MARKERS = ["package.json", ".git"];

export interface DiscoveryResult {
  found?: Discovered;
  /** The folders searched, nearest first, for the "not found" message. */
  searched: string[];
  /** False when no folder from the start up holds a project marker: then only the start was searched. */
  inProject: boolean;
}

export async function discoverConfig(from: string, source: FileSource): Promise<DiscoveryResult> {
  const start = path.resolve(from);
  // The project is found first: a config in a folder above is taken only when that folder is inside it.
  const top = await projectTop(start, source);
  const searched: string[] = [];
  for (let dir = start; ; dir = path.dirname(dir)) {
    searched.push(dir);
    const found = await configInFolder(dir, source);
    if (found) return { found, searched, inProject: top !== undefined };
    if (dir === (top ?? start)) return { searched, inProject: top !== undefined };
  }
}

/** The nearest folder from `start` up holding a project marker (or the source's own root), if any. */
async function projectTop(start: string, source: FileSource): Promise<string | undefined> {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (dir === source.root) return dir;
    for (const marker of PROJECT_MARKERS) if (await source.lstat(path.join(dir, marker))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The config discovery takes in this folder (the first search place present), if any. */
async function configInFolder(dir: string, source: FileSource): Promise<Discovered | undefined> {
  for (const place of SEARCH_PLACES) {
    const file = path.join(dir, place);
    const entry = await source.lstat(file);
    // An empty file is found (and then refused as empty), never skipped for a parent's config.
    if (!entry || entry.kind === "directory") continue;
    if (place !== "package.json") return { file };
    if (await hasPackageKey(source, file)) return { file, packageKey: MODULE_NAME };
  }
  return undefined;
}

/**
 * `--all`: in every folder under `root` (itself included), the config discovery would take there;
 * sorted by path. Symlinked folders are not followed, so a link cannot loop or leave the root.
 */
export async function findConfigs(root: string, source: FileSource): Promise<string[]> {
  const found: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    const config = await configInFolder(dir, source);
    if (config) found.push(config.file);
    const names = await source.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      // `.config` is not entered either: it is a search place of its parent (configInFolder).
      if (isSkippedFolder(name)) continue;
      const child = path.join(dir, name);
      if ((await source.lstat(child))?.kind === "directory") pending.push(child);
    }
  }
  // A folder's config before those below it.
  const key = (file: string) => `${path.dirname(file)}${path.sep}\0${path.basename(file)}`;
  return found.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A package.json counts only when it has the `sequrity` key; an unreadable one is not a config. */
async function hasPackageKey(source: FileSource, file: string): Promise<boolean> {
  const read = await readProjectFile(source, file, { kind: "config" });
  if (!read.ok) return false;
  try {
    const pkg = JSON.parse(read.text) as unknown;
    return typeof pkg === "object" && pkg !== null && MODULE_NAME in pkg;
  } catch {
    return false;
  }
}
