/** Reads the config file (given or discovered) into located nodes. */
import path from "node:path";
import { error, type Diagnostic, type SourceLocation } from "../diagnostics/index.js";
import { discoverConfig } from "./discover.js";
import { workingTree, type FileSource } from "./file-source.js";
import { readPlain, type PlainNodes } from "./from-plain.js";
import { get, isMap, type LMap, type LNode } from "./lnode.js";
import { projectRoot, readProjectFile, refusalDiagnostic, type ReadRefusal } from "./project-files.js";
import { describeFailure, loadScriptConfig, SCRIPT_EXTENSIONS } from "./script-config.js";
import { Source, locate, wholeFile } from "./source.js";
import { parseYaml } from "./yaml.js";

export interface LoadOptions {
  /** `-c FILE`; discovered from `cwd` when absent. */
  configPath?: string;
  cwd?: string;
  /** Where files are read from (default: the working tree). */
  source?: FileSource;
}

export interface LoadedFile {
  /** The path as shown in messages (relative to cwd when inside it). */
  file: string;
  /** Absolute path, for resolving policy files. */
  absolute: string;
  /** The project root: every file the config names must resolve inside it. */
  projectRoot: string;
  source: Source;
  root: LMap;
  /** A JS/TS config's other modules (outside node_modules): inputs of the build, followed by watch mode. */
  modules?: string[];
}

/** A failure names the config file it was about (`absolute`) when one was found or given, and a JS config's modules it got to, so watch mode can follow them. */
export type LoadResult = { ok: true; loaded: LoadedFile } | { ok: false; diagnostics: Diagnostic[]; source?: Source; absolute?: string; modules?: string[] };

export function shownPath(absolute: string, cwd: string): string {
  const rel = path.relative(cwd, absolute);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : absolute;
}

export async function loadConfigFile(options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const files = options.source ?? workingTree;
  let absolute: string;
  let packageKey: string | undefined;
  if (options.configPath !== undefined) {
    absolute = path.resolve(cwd, options.configPath);
  } else {
    const { found, searched, inProject } = await discoverConfig(cwd, files);
    if (!found) {
      const top = searched.at(-1) ?? cwd;
      const stop = inProject
        ? "the search stops at the folder holding package.json or .git"
        : "no folder here or above holds package.json or .git, so only this one was searched";
      return fail(
        error(
          "config-not-found",
          `no sequrity config found in ${cwd}${top !== cwd ? ` or above up to ${top}` : ""} (looked for sequrity.config.yaml, .sequrityrc*, package.json "sequrity", ...; ${stop}); run \`sequrity-config init\` or pass -c FILE`,
        ),
      );
    }
    absolute = found.file;
    packageKey = found.packageKey;
  }
  const loaded = await loadAt(files, absolute, shownPath(absolute, cwd), packageKey);
  return loaded.ok ? loaded : { ...loaded, absolute };
}

/** The config at `absolute` (shown as `file`), found or given. */
async function loadAt(files: FileSource, absolute: string, file: string, packageKey: string | undefined): Promise<LoadResult> {
  const projectDir = await projectRoot(files, absolute);
  const ext = path.extname(absolute).toLowerCase();

  if (SCRIPT_EXTENSIONS.has(ext)) {
    if (files !== workingTree)
      return fail(
        error("config-load", `cannot load ${file} from the ${files.label}: JS/TS configs are run, and only from the working tree`, {
          file,
          line: 0,
          column: 0,
        }),
      );
    const checked = await readProjectFile(files, absolute, { kind: "config" });
    if (!checked.ok) return fail(configRefusal(checked.refusal, file));
    const script = await loadScriptConfig(absolute);
    const modules = script.modules.length > 0 ? { modules: script.modules } : {};
    if (!script.ok) {
      const { message, line, column } = script.failure;
      const d = error("config-load", `cannot load ${file}: ${message}`, { file, line: line ?? 0, column: column ?? 0 });
      // A syntax error has a place in the file: its line is shown under the message.
      return { ok: false, diagnostics: [d], ...(line !== undefined ? { source: new Source(file, checked.text) } : {}), ...modules };
    }
    const root = scriptRoot(file, absolute, projectDir, script.value);
    return root.ok ? { ok: true, loaded: { ...root.loaded, ...modules } } : { ...root, ...modules };
  }

  return loadDataConfig(files, { file, absolute, projectRoot: projectDir }, packageKey !== undefined ? { packageKey } : {});
}

export interface DataConfigOptions {
  /** Read the config under this key of the file (package.json's `sequrity`). */
  packageKey?: string;
  /** An imported config: it must resolve inside `root`, and a refusal to read it is reported at the import (`name` as written there). */
  importedAt?: { root: string; location: SourceLocation; name: string };
}

/** A YAML or JSON config (with `packageKey`, that key of a package.json) as located nodes; imports are read this way too. */
export async function loadDataConfig(
  files: FileSource,
  where: Pick<LoadedFile, "file" | "absolute" | "projectRoot">,
  options: DataConfigOptions = {},
): Promise<LoadResult> {
  const { file, absolute, projectRoot: projectDir } = where;
  const { packageKey, importedAt } = options;
  const read = await readProjectFile(files, absolute, { kind: "config", ...(importedAt ? { root: importedAt.root } : {}) });
  if (!read.ok) return fail(importedAt ? refusalDiagnostic(read.refusal, importedAt.name, importedAt.location) : configRefusal(read.refusal, file));
  const source = new Source(file, read.text);
  if (read.text.trim() === "") return fail(error("empty-config", "the config file is empty; it needs at least `environments:`", { file, line: 1, column: 1 }));
  const parsed = parseYaml(source);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics, source };
  let root = parsed.root;
  if (packageKey !== undefined && isMap(root)) root = get(root, packageKey);
  if (!root || (root.kind === "scalar" && root.value === null)) {
    return fail(error("empty-config", "the config file has no content; it needs at least `environments:`", { file, line: 1, column: 1 }));
  }
  return mappingRoot(file, absolute, projectDir, source, root);
}

/** A JS/TS config's default export as nodes: each value no config can hold is an error naming its field path. */
function scriptRoot(file: string, absolute: string, projectDir: string, value: unknown): LoadResult {
  const at = { file, line: 0, column: 0 };
  if (value === undefined)
    return fail(error("not-a-mapping", "the default export is undefined; it must be the config: a mapping with `version` and `environments` keys", at));
  const source = new Source(file, "", false);
  let read: PlainNodes;
  try {
    read = readPlain(value, wholeFile(source), "the default export");
  } catch (e) {
    // A getter or a proxy in the exported value threw while it was read.
    return fail(error("config-load", `cannot load ${file}: ${describeFailure(e, absolute).message}`, at));
  }
  if (!read.node) return { ok: false, diagnostics: read.problems.map((p) => error(p.code, `${p.where}: ${p.message}`, at)) };
  return mappingRoot(file, absolute, projectDir, source, read.node);
}

function mappingRoot(file: string, absolute: string, projectDir: string, source: Source, root: LNode): LoadResult {
  if (!isMap(root)) {
    return fail(error("not-a-mapping", "the config file must be a mapping with `version` and `environments` keys", locate(root.span)));
  }
  return { ok: true, loaded: { file, absolute, projectRoot: projectDir, source, root } };
}

/** A config that exists but is refused is named as the place of the error; a missing one is not a place. */
function configRefusal(refusal: ReadRefusal, file: string): Diagnostic {
  return refusalDiagnostic(refusal, file, refusal.code === "file-not-found" ? undefined : { file, line: 0, column: 0 });
}

function fail(d: Diagnostic): LoadResult {
  return { ok: false, diagnostics: [d] };
}
